/**
 * The malformed corpus: every file under malformed/ is a whole scenario with one mistake, and says
 * in its header which diagnostic it must produce (`# expect: LINE:COL message`). The loader must
 * report that message at that place, and nothing it reports may lack a position.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenarioFile } from '../../src/scenario/load';

const DIR = join(__dirname, 'malformed');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

function expectationOf(file: string): { line: number; col: number; message: string } {
  const m = /^# expect: (\d+):(\d+) (.+)$/m.exec(readFileSync(join(DIR, file), 'utf8'));
  if (!m) throw new Error(`${file} has no "# expect: LINE:COL message" header`);
  return { line: Number(m[1]), col: Number(m[2]), message: m[3]! };
}

test('the corpus holds at least 40 malformed scenarios', () => {
  expect(FILES.length).toBeGreaterThanOrEqual(40);
});

describe.each(FILES)('%s', (file) => {
  const path = join(DIR, file);
  const result = loadScenarioFile(path);
  const want = expectationOf(file);

  test(`reports "${want.message}" at ${want.line}:${want.col}`, () => {
    expect(result.scenario).toBeUndefined();
    const found = result.diagnostics.map((d) => ({ line: d.line, col: d.col, message: d.message }));
    expect(found).toContainEqual(
      expect.objectContaining({
        line: want.line,
        col: want.col,
        message: expect.stringContaining(want.message),
      }),
    );
  });

  test('every diagnostic is placed in this file', () => {
    for (const d of result.diagnostics) {
      expect(d.file).toBe(path);
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.col).toBeGreaterThanOrEqual(1);
      expect(d.message.length).toBeGreaterThan(0);
    }
  });
});

/** The cross-reference rules the issue names, each with the corpus files that prove it. */
const RULES: Record<string, string[]> = {
  'unknown segment references': [
    'department-unknown-segment',
    'host-unknown-segment',
    'policy-unknown-selector',
  ],
  'unknown host references': [
    'exec-unknown-host',
    'person-unknown-host',
    'match-unknown-host',
    'egress-unknown-proxy',
  ],
  'unknown user references': ['mail-unknown-person', 'person-unknown-department'],
  'unknown inject references': ['after-unknown-inject', 'condition-unknown-expectation'],
  'duplicate names': [
    'duplicate-segment',
    'duplicate-department',
    'duplicate-person',
    'duplicate-account',
    'duplicate-host',
    'duplicate-inject',
    'host-named-like-firewall',
  ],
  'CIDR too small for the host count': ['cidr-too-small-for-hosts', 'segment-too-small'],
  'overlapping subnets': ['overlapping-segments'],
  'overlapping subnets across teams': ['overlap-across-teams', 'segment-larger-than-stride'],
  'IPs outside their segment': ['ip-outside-segment', 'gateway-outside'],
  'inject dependency cycles': ['dependency-cycle'],
  'triggers outside the exercise duration': [
    'trigger-after-end',
    'clock-before-start',
    'cron-until-after-end',
    'after-chain-past-end',
  ],
  'a target with no route for the channel': [
    'beacon-no-route',
    'exec-on-simulated-host',
    'mail-without-mail-server',
  ],
  'cron expressions that do not parse': ['cron-does-not-parse', 'cron-six-fields'],
};

test.each(Object.entries(RULES))('rule "%s" is covered by the corpus', (_rule, files) => {
  for (const f of files) expect(FILES).toContain(`${f}.yaml`);
});
