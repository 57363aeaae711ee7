/** The hot-loop address formatter must write exactly what `formatIp` writes, in any order of calls. */
import fc from 'fast-check';
import { formatIp } from '../../src/common/ipv4';
import { AddressText } from '../../src/compiler/address-text';

test('formats like formatIp, whether or not the prefix is reused', () => {
  const text = new AddressText();
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 20 }), (ips) => {
      for (const ip of [...ips, ...ips.map((x) => (x & ~255) >>> 0), ...ips])
        expect(text.format(ip)).toBe(formatIp(ip));
    }),
    { numRuns: 300, seed: 42 },
  );
});
