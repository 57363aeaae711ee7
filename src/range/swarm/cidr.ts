/** True when the IPv4 address lies in the CIDR block. Pure. */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const toInt = (a: string): number => a.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
}
