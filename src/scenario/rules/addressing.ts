/**
 * Addressing rules: well-formed blocks, segments that fit their hosts, no overlap inside a team
 * or between teams, fixed addresses inside their segment and not used twice.
 */
import {
  type Cidr,
  cidrSize,
  cidrsOverlap,
  formatCidr,
  hasHostBits,
  parseCidr,
  parseIp,
  shiftCidr,
} from '../../common/ipv4';
import { AddressPool, segmentLayout } from '../../compiler/addressing';
import type { RuleContext } from './context';

export function checkAddressing(ctx: RuleContext, teamCount: number): void {
  const net = ctx.scenario.network;
  const pools = new Map<string, AddressPool>();
  const blocks: { id: string; cidr: Cidr; stride: number; index: number }[] = [];
  net.segments.forEach((seg, i) => {
    const path = ['network', 'segments', i];
    const cidr = parseCidr(seg.cidr);
    if (!cidr) return;
    if (hasHostBits(cidr)) {
      const fixed = formatCidr({
        base: (cidr.base & ((0xffffffff << (32 - cidr.prefix)) >>> 0)) >>> 0,
        prefix: cidr.prefix,
      });
      ctx.report([...path, 'cidr'], `\`${seg.cidr}\` has host bits set`, `did you mean \`${fixed}\`?`);
      return;
    }
    if (cidr.prefix > 29) {
      ctx.report(
        [...path, 'cidr'],
        `segment \`${seg.id}\` (${seg.cidr}) is too small`,
        'a segment needs at least a /29',
      );
      return;
    }
    const stride = seg.teamStride ?? net.teamStride;
    if (cidr.prefix < stride) {
      ctx.report(
        [...path, 'cidr'],
        `segment \`${seg.id}\` (/${cidr.prefix}) is larger than the team stride (/${stride}), so teams would overlap`,
        `use a smaller segment or set \`teamStride: ${cidr.prefix}\``,
      );
      return;
    }
    const layout = segmentLayout(seg.cidr, seg.gateway);
    if (!layout) return;
    const pool = new AddressPool(layout);
    if (seg.gateway !== undefined && pool.claim(layout.gateway) === 'outside') {
      ctx.report(
        [...path, 'gateway'],
        `gateway ${seg.gateway} is outside ${seg.cidr}`,
        'pick an address inside the segment',
      );
    }
    pools.set(seg.id, pool);
    blocks.push({ id: seg.id, cidr, stride, index: i });
  });
  checkOverlaps(ctx, blocks, teamCount);
  checkHosts(ctx, pools);
}

/** Every team's copy of every segment against every other: within a team and across teams. */
function checkOverlaps(
  ctx: RuleContext,
  blocks: { id: string; cidr: Cidr; stride: number; index: number }[],
  teamCount: number,
): void {
  const placed: { id: string; team: number; cidr: Cidr }[] = [];
  const reported = new Set<string>();
  for (const b of blocks) {
    for (let t = 0; t < teamCount; t++) {
      const shifted = shiftCidr(b.cidr, t, b.stride);
      if (!shifted) {
        ctx.report(
          ['network', 'segments', b.index, 'cidr'],
          `segment \`${b.id}\` for team ${t + 1} would lie past 255.255.255.255`,
          'start the segment lower or use fewer teams',
        );
        break;
      }
      for (const other of placed) {
        if (!cidrsOverlap(shifted, other.cidr) || reported.has(b.id)) continue;
        reported.add(b.id);
        const teams =
          t === other.team
            ? `in team ${t + 1}`
            : `(team ${t + 1}'s ${formatCidr(shifted)} and team ${other.team + 1}'s ${formatCidr(other.cidr)})`;
        ctx.report(
          ['network', 'segments', b.index, 'cidr'],
          `segment \`${b.id}\` overlaps segment \`${other.id}\` ${teams}`,
          t === other.team
            ? 'give each segment its own block'
            : "segments with a smaller team stride must lie outside the other teams' blocks; move it or change `teamStride`",
        );
      }
      placed.push({ id: b.id, team: t, cidr: shifted });
    }
  }
}

function checkHosts(ctx: RuleContext, pools: Map<string, AddressPool>): void {
  const hosts = ctx.scenario.hosts;
  hosts.forEach((h, i) => {
    if (h.ip === undefined) return;
    const pool = pools.get(h.segment);
    const ip = parseIp(h.ip);
    if (!pool || ip === undefined) return;
    const problem = pool.claim(ip);
    if (problem === 'outside')
      ctx.report(
        ['hosts', i, 'ip'],
        `${h.ip} is outside segment \`${h.segment}\` (${formatCidr(pool.layout.cidr)})`,
        'pick an address inside the segment',
      );
    else if (problem === 'reserved')
      ctx.report(
        ['hosts', i, 'ip'],
        `${h.ip} is reserved in segment \`${h.segment}\` (network, broadcast, engine bridge or firewall gateway)`,
        'pick another address',
      );
    else if (problem === 'taken')
      ctx.report(['hosts', i, 'ip'], `${h.ip} is used by another host`, 'give each host its own address');
  });
  const need = new Map<string, { count: number; index: number }>();
  hosts.forEach((h, i) => {
    if (h.ip !== undefined) return;
    const n = need.get(h.segment) ?? { count: 0, index: i };
    n.count += h.count ?? 1;
    n.index = i;
    need.set(h.segment, n);
  });
  for (const [segment, { count, index }] of need) {
    const pool = pools.get(segment);
    if (!pool) continue;
    const free = pool.remaining();
    if (count > free) {
      const fits = smallestPrefixFor(count + (cidrSize(pool.layout.cidr) - free));
      ctx.report(
        ['hosts', index, 'segment'],
        `segment \`${segment}\` (${formatCidr(pool.layout.cidr)}) has room for ${free} more hosts but ${count} are placed in it`,
        `use a /${fits} or larger, or fewer hosts`,
      );
    }
  }
}

function smallestPrefixFor(addresses: number): number {
  let prefix = 30;
  while (prefix > 0 && 2 ** (32 - prefix) - 12 < addresses) prefix--;
  return prefix;
}
