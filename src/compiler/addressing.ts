/**
 * Deterministic addressing. Segments are written as team 1 sees them; team k's copy is the same
 * layout shifted by (k-1) blocks of the team stride, so every team's range is identical but
 * never overlaps another's. Inside a segment: the network address, the engine's bridge (first
 * usable), the firewall's gateway (last usable by default) and fixed host addresses are
 * reserved; other hosts are numbered upward from .10 (from .2 in small segments).
 */
import { type Cidr, cidrContains, cidrSize, formatIp, parseCidr, parseIp } from '../common/ipv4';

export interface SegmentLayout {
  cidr: Cidr;
  bridge: number;
  gateway: number;
}

export function segmentLayout(cidrText: string, gatewayText?: string): SegmentLayout | undefined {
  const cidr = parseCidr(cidrText);
  if (!cidr || cidr.prefix > 29) return undefined;
  const size = cidrSize(cidr);
  const gateway = gatewayText !== undefined ? parseIp(gatewayText) : cidr.base + size - 2;
  if (gateway === undefined) return undefined;
  return { cidr, bridge: cidr.base + 1, gateway };
}

/**
 * Hands out addresses in one segment. Fixed addresses are claimed first (by the caller), then
 * `next()` gives the lowest free address, or undefined when the segment is full.
 */
export class AddressPool {
  private readonly taken = new Set<number>();
  private cursor: number;
  private readonly last: number;

  constructor(readonly layout: SegmentLayout) {
    const size = cidrSize(layout.cidr);
    this.cursor = layout.cidr.base + (size >= 64 ? 10 : 2);
    this.last = layout.cidr.base + size - 2;
    this.taken.add(layout.bridge);
    this.taken.add(layout.gateway);
  }

  /** Claims a fixed address; returns why it cannot be used, if it cannot. */
  claim(ip: number): 'outside' | 'reserved' | 'taken' | undefined {
    const { cidr } = this.layout;
    if (!cidrContains(cidr, ip)) return 'outside';
    if (ip === cidr.base || ip === cidr.base + cidrSize(cidr) - 1) return 'reserved';
    if (ip === this.layout.bridge || ip === this.layout.gateway) return 'reserved';
    if (this.taken.has(ip)) return 'taken';
    this.taken.add(ip);
    return undefined;
  }

  next(): number | undefined {
    while (this.cursor <= this.last && this.taken.has(this.cursor)) this.cursor++;
    if (this.cursor > this.last) return undefined;
    this.taken.add(this.cursor);
    return this.cursor++;
  }

  /** Addresses still free for automatic assignment. */
  remaining(): number {
    let free = 0;
    for (let ip = this.cursor; ip <= this.last; ip++) if (!this.taken.has(ip)) free++;
    return free;
  }
}

/** The shift of team `index` (0-based) in addresses. */
export function teamOffset(index: number, stridePrefix: number): number {
  return index * 2 ** (32 - stridePrefix);
}

export function shiftIp(ip: number, offset: number): string {
  return formatIp(ip + offset);
}
