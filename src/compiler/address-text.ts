/**
 * Address formatting for the compiler's hot loop. Hosts are laid out segment by segment, so
 * consecutive addresses share their first three octets: the prefix text is kept and reused, and
 * octets come from a table instead of number-to-string conversions. Same text as `formatIp`.
 */
const OCTETS: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));

export class AddressText {
  private prefixOf = -1;
  private prefix = '';

  format(ip: number): string {
    const high = ip >>> 8;
    if (high !== this.prefixOf) {
      this.prefixOf = high;
      this.prefix = `${OCTETS[ip >>> 24]}.${OCTETS[(ip >>> 16) & 255]}.${OCTETS[(ip >>> 8) & 255]}.`;
    }
    return this.prefix + OCTETS[ip & 255];
  }
}
