/** IPv4 addresses as unsigned 32-bit numbers, so address arithmetic is exact and fast. */
export interface Cidr {
  base: number;
  prefix: number;
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
export const IPV4_PATTERN = `^${OCTET}(\\.${OCTET}){3}$`;
export const CIDR_PATTERN = `^${OCTET}(\\.${OCTET}){3}\\/(3[0-2]|[12]?\\d)$`;
const IPV4 = new RegExp(IPV4_PATTERN);

export function parseIp(text: string): number | undefined {
  if (!IPV4.test(text)) return undefined;
  const [a, b, c, d] = text.split('.').map(Number);
  return ((a! << 24) >>> 0) + (b! << 16) + (c! << 8) + d!;
}

export function formatIp(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function parseCidr(text: string): Cidr | undefined {
  const [ip, prefixText, extra] = text.split('/');
  if (extra !== undefined || ip === undefined || prefixText === undefined || !/^\d+$/.test(prefixText)) {
    return undefined;
  }
  const base = parseIp(ip);
  const prefix = Number(prefixText);
  if (base === undefined || prefix > 32) return undefined;
  return { base, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.prefix}`;
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** True when the address has host bits set (e.g. `10.0.0.5/24`). */
export function hasHostBits(c: Cidr): boolean {
  return (c.base & ~mask(c.prefix)) >>> 0 !== 0;
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip < c.base + cidrSize(c);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + cidrSize(b) && b.base < a.base + cidrSize(a);
}

/** A block moved by `steps` blocks of size 2^(32-stridePrefix); undefined past the end of IPv4. */
export function shiftCidr(c: Cidr, steps: number, stridePrefix: number): Cidr | undefined {
  const base = c.base + steps * 2 ** (32 - stridePrefix);
  return base + cidrSize(c) > 2 ** 32 ? undefined : { base, prefix: c.prefix };
}
