/**
 * Every server role's image becomes ready with its real service and real log files, and a host that
 * fails its readiness check is reported and removed, never left half-started.
 */
import type { Plan } from '../../src/compiler/plan';
import type { Clients } from '../../src/range/docker/clients';
import { LABEL } from '../../src/range/labels';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { rangeUp, type UpResult } from '../../src/range/lifecycle/range-up';
import type { RangeEvent } from '../../src/range/progress';
import { canConnect, engineClients, exerciseId, fixturePlan } from './support/live-range';

jest.setTimeout(120_000);

const exercise = exerciseId('roles');
let clients: Clients;
let plan: Plan;
let result: UpResult;
const events: RangeEvent[] = [];
const name = (host: string): string => `${exercise}-t01-${host}`;

beforeAll(async () => {
  clients = await engineClients();
  plan = fixturePlan('tiny-range.yaml');
  // The web server's check can never pass: it must be reported and removed, the others must be ready.
  result = await rangeUp(clients, plan, {
    exercise,
    readiness: { web: { command: 'exit 1' } },
    readyTimeoutMs: 3_000,
    onProgress: (e) => events.push(e),
  });
}, 600_000);

afterAll(async () => {
  if (clients) await rangeDown(clients, exercise);
}, 120_000);

test('a host failing readiness is reported with the reason and removed', async () => {
  expect(result.failed).toEqual([
    { name: name('web'), reason: expect.stringContaining('not ready after 3s') },
  ]);
  const states = events
    .filter((e) => e.type === 'host' && e.host === 'web')
    .map((e) => (e as { state: string }).state);
  expect(states).toEqual(['creating', 'starting', 'failed', 'removed']);
  const left = await clients.containers.list({
    label: [`${LABEL.exercise}=${exercise}`, `${LABEL.host}=web`],
  });
  expect(left).toEqual([]);
});

test('DNS, mail, file server, workstation and firewall are ready', () => {
  expect(result.ready.sort()).toEqual(['dns', 'fs', 'fw', 'mail', 'pc-01'].map(name).sort());
});

test('mail is delivered by Postfix into a Maildir on disk', async () => {
  const smtp = [
    'HELO pc-01',
    'MAIL FROM:<attacker@evil.example>',
    'RCPT TO:<alice@corp.tiny.example>',
    'DATA',
    'Subject: invoice',
    '',
    'please open the attachment',
    '.',
    'QUIT',
    '',
  ].join('\r\n');
  const send = await clients.exec.run(name('pc-01'), [
    'sh',
    '-c',
    `printf '%s' "$1" | nc -q 3 10.242.2.25 25`,
    'sh',
    smtp,
  ]);
  expect(send.stdout).toMatch(/250 .*queued/);
  let files = '';
  for (let i = 0; i < 20 && !files; i++) {
    await new Promise((r) => setTimeout(r, 250));
    files = (
      await clients.exec.run(name('mail'), ['sh', '-c', 'cat /home/catchall/Maildir/new/* 2>/dev/null'])
    ).stdout;
  }
  expect(files).toContain('Subject: invoice');
  expect((await clients.exec.run(name('mail'), ['cat', '/var/log/mail.log'])).stdout).toContain(
    'status=sent',
  );
});

test('the file server answers SMB through the firewall and DNS logs every query', async () => {
  expect(await canConnect(clients, name('pc-01'), '10.242.2.45', 445)).toBe(true);
  await clients.exec.run(name('dns'), ['sh', '-c', 'getent hosts fs.corp.tiny.example >/dev/null; true']);
  const query = await clients.exec.run(name('pc-01'), [
    'sh',
    '-c',
    // A raw DNS query for fs.corp.tiny.example (type A) over UDP; no DNS client is installed.
    "printf '\\022\\064\\001\\000\\000\\001\\000\\000\\000\\000\\000\\000\\002fs\\004corp\\004tiny\\007example\\000\\000\\001\\000\\001' | nc -u -w 2 10.242.2.53 53 | od -An -tx1 | tr -d ' \\n'",
  ]);
  // The answer carries 10.242.2.45 (0a f2 02 2d).
  expect(query.stdout).toContain('0af2022d');
  const log = await clients.exec.run(name('dns'), ['cat', '/var/log/dnsmasq.log']);
  expect(log.stdout).toContain('query[A] fs.corp.tiny.example from 10.242.16.10');
});
