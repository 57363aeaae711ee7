/** `validate`, `plan` and `schema` through the real CLI: exit codes 0/1/2 and what they print. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/run-cli';

const QUICKSTART = 'scenarios/quickstart.yaml';
const MALFORMED = 'test/scenario/malformed/exec-unknown-host.yaml';
const DIAGNOSTIC_LINE = /^\S+:\d+:\d+: .+/;

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  expect(text).not.toContain('internal error');
}

describe('validate', () => {
  test('exits 0 and says so for a valid scenario', () => {
    const r = runCli(['validate', QUICKSTART]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scenarios/quickstart.yaml: valid — 144 hosts per team, 2 teams, 5 injects');
  });

  test('exits 1 with file:line:col: message — hint lines for an invalid scenario', () => {
    const r = runCli(['validate', MALFORMED]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe(`${MALFORMED}:41:35: unknown host \`pc-1\` — did you mean \`pc-01\`?`);
    expect(lines[0]).toMatch(DIAGNOSTIC_LINE);
    expect(lines.at(-1)).toBe(`${MALFORMED}: 1 problem found`);
    expectNoStackTrace(r.stderr);
  });

  test('--simulated accepts live-only actions on simulated hosts', () => {
    const file = 'test/scenario/malformed/exec-on-simulated-host.yaml';
    expect(runCli(['validate', file]).code).toBe(1);
    expect(runCli(['validate', '--simulated', file]).code).toBe(0);
  });

  test('exits 1 for a missing file, without a stack trace', () => {
    const r = runCli(['validate', 'scenarios/nope.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('scenarios/nope.yaml:1:1: cannot read scenario: no such file');
    expectNoStackTrace(r.stderr);
  });

  test('exits 1 for a `--set` of an unknown parameter', () => {
    const r = runCli(['validate', QUICKSTART, '--set', 'levle=A']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--set levle: unknown parameter `levle` — did you mean `level`?');
  });

  test.each([
    [['validate'], 'missing required argument'],
    [['validate', QUICKSTART, '--teams', 'many'], 'teams must be a whole number'],
    [['validate', QUICKSTART, '--teams', '0'], 'teams must be a whole number'],
    [['validate', QUICKSTART, '--set', 'level'], 'is not key=value'],
    [['validate', QUICKSTART, '--colour'], "unknown option '--colour'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('exits 2 for usage errors: %j', (args, message) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expectNoStackTrace(r.stderr);
  });
});

describe('plan', () => {
  test('prints the human summary', () => {
    const r = runCli(['plan', QUICKSTART, '--teams', '3', '--set', 'level=A']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('parameters: level=A, speed=10');
    expect(r.stdout).toMatch(/staff\s+staff\s+10\.10\.16\.0\/22\s+139 hosts\s+1 live/);
    expect(r.stdout).toContain('Containers needed: 5 per team × 3 teams = 15');
    expect(r.stdout).toContain('t03 Team 3');
    expect(r.stdout).toContain('hint-proxy: Hint for beginners');
  });

  test('--json prints the full plan, byte for byte the same every time', () => {
    const a = runCli(['plan', QUICKSTART, '--json']);
    const b = runCli(['plan', QUICKSTART, '--json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const plan = JSON.parse(a.stdout);
    expect(plan.teams).toHaveLength(2);
    expect(plan.teams[1].hosts.find((h: { name: string }) => h.name === 'pc-victim')).toMatchObject({
      team: 't02',
      fidelity: 'live',
      users: ['victim'],
    });
  });

  test('exits 1 with diagnostics for an invalid scenario', () => {
    const r = runCli(['plan', MALFORMED, '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(DIAGNOSTIC_LINE);
  });
});

describe('schema', () => {
  test('prints the JSON Schema, the same as the committed file', () => {
    const r = runCli(['schema']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync('scenarios/scenario.schema.json', 'utf8'));
    expect(JSON.parse(r.stdout).properties.hosts.type).toBe('array');
  });

  test('--out writes the file', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cyrange-')), 'schema.json');
    const r = runCli(['schema', '--out', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).title).toBe('cyrange scenario (version 1)');
  });
});

test.each(['validate', 'plan', 'schema'])('`%s --help` exits 0 and describes the verb', (verb) => {
  const r = runCli([verb, '--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`Usage: cyrange ${verb}`);
});
