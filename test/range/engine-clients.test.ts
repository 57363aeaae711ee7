/**
 * The runtime-client layer against the real engine: exec output demultiplexed with its exit code, a
 * timeout enforced inside the container, files copied in and out without mounts, and the event stream
 * delivering our labelled containers' lifecycle.
 */
import type { Clients, EngineEvent } from '../../src/range/docker/clients';
import { followEvents } from '../../src/range/docker/clients';
import { ensureImages } from '../../src/range/images/image-builder';
import { LABEL } from '../../src/range/labels';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { engineClients, exerciseId } from './support/live-range';

jest.setTimeout(60_000);

const exercise = exerciseId('clients');
const name = `${exercise}-t01-probe`;
let clients: Clients;
const events: EngineEvent[] = [];
let follower: { stop(): void } | undefined;

beforeAll(async () => {
  clients = await engineClients();
  const images = await ensureImages(clients, { images: ['workstation'] });
  follower = followEvents(
    clients.engine.stream,
    { type: ['container'], label: [`${LABEL.exercise}=${exercise}`] },
    (e) => events.push(e),
  );
  await new Promise((r) => setTimeout(r, 300));
  await clients.containers.create({
    name,
    Image: images.tags.workstation,
    Entrypoint: ['sleep', 'infinity'],
    Labels: {
      [LABEL.exercise]: exercise,
      [LABEL.team]: 't01',
      [LABEL.host]: 'probe',
      [LABEL.role]: 'workstation',
    },
    HostConfig: {
      NetworkMode: 'none',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Memory: 64 * 1024 * 1024,
    },
  });
  await clients.containers.start(name);
}, 900_000);

afterAll(async () => {
  follower?.stop();
  await rangeDown(clients, exercise);
});

test('exec separates stdout from stderr and reports the exit code', async () => {
  const result = await clients.exec.run(name, ['sh', '-c', 'echo out; echo err >&2; exit 3']);
  expect(result).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
});

test('exec output larger than one frame arrives whole', async () => {
  const result = await clients.exec.run(name, ['sh', '-c', 'head -c 300000 /dev/zero | tr "\\0" x']);
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toHaveLength(300_000);
});

test('a command running past its timeout is killed inside the container', async () => {
  const started = Date.now();
  const result = await clients.exec.run(name, ['sleep', '30'], { timeoutSec: 1 });
  expect(result.exitCode).toBe(137);
  expect(Date.now() - started).toBeLessThan(10_000);
});

test('files are copied in and out through the API', async () => {
  const content = Buffer.from('phishing attachment\n\u0000binary\u00ff');
  await clients.exec.putFile(name, '/tmp/evidence.bin', content, 0o600);
  expect((await clients.exec.run(name, ['stat', '-c', '%a %s', '/tmp/evidence.bin'])).stdout.trim()).toBe(
    `600 ${content.length}`,
  );
  expect(await clients.exec.getFile(name, '/tmp/evidence.bin')).toEqual(content);
  await expect(clients.exec.getFile(name, '/tmp/missing')).rejects.toThrow();
});

test('the event stream delivers the lifecycle of our labelled containers', async () => {
  for (let i = 0; i < 40 && !events.some((e) => e.Action === 'start'); i++)
    await new Promise((r) => setTimeout(r, 100));
  const actions = events.filter((e) => e.Actor.Attributes.name === name).map((e) => e.Action);
  expect(actions).toEqual(expect.arrayContaining(['create', 'start']));
});
