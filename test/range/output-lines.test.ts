/** The pieces of following a container's output that need no engine: frames into lines, engine times. */
import { engineSince, FrameLines } from '../../src/range/docker/clients/output-client';

function frame(text: string, stream = 1): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

test('frames split anywhere still give whole lines, from both streams, in order', () => {
  const all = Buffer.concat([frame('cyrange-health: fail'), frame('ing: no\nready', 2), frame(' soon\n')]);
  for (let cut = 0; cut <= all.length; cut++) {
    const lines = new FrameLines();
    const got = [...lines.push(all.subarray(0, cut)), ...lines.push(all.subarray(cut))];
    expect(got).toEqual(['cyrange-health: failing: no', 'ready soon']);
  }
});

test('a partial last line waits for its end; multibyte text survives', () => {
  const lines = new FrameLines();
  const bytes = Buffer.from('準備完了\n', 'utf8');
  // Cut inside the second character: its bytes arrive in two frames.
  const [head, tail] = [bytes.subarray(0, 4), bytes.subarray(4)];
  const header = (n: number) => Buffer.from([1, 0, 0, 0, 0, 0, 0, n]);
  expect(lines.push(Buffer.concat([header(head.length), head]))).toEqual([]);
  expect(lines.push(Buffer.concat([header(tail.length), tail]))).toEqual(['準備完了']);
});

test('engine times become the seconds.nanoseconds the log API takes; the zero time is none', () => {
  expect(engineSince('2026-11-26T15:24:36.123456789Z')).toBe('1795706676.123456789');
  expect(engineSince('2026-11-26T15:24:36Z')).toBe('1795706676.000000000');
  expect(engineSince('2026-11-26T16:24:36.5+01:00')).toBe('1795706676.500000000');
  expect(engineSince('0001-01-01T00:00:00Z')).toBeUndefined();
  expect(engineSince(undefined)).toBeUndefined();
  expect(engineSince('yesterday')).toBeUndefined();
});
