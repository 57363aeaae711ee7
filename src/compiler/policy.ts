/**
 * The policy between segments, normalised: selectors (`*`, `zone:staff`, ids) become segment ids
 * and port specs become ranges. Rules are evaluated first match wins, then the default — the same
 * semantics the live firewall renders, so validation and the range agree on what is reachable.
 */
import type { PolicyRulePlan, Zone } from './plan';

export interface PolicySegment {
  id: string;
  zone: Zone;
}

export interface PolicyRuleInput {
  from: string | string[];
  to: string | string[];
  ports: (number | string)[];
  proto: 'tcp' | 'udp' | 'any';
  action: 'allow' | 'deny';
}

/** Ids a selector names; unknown ids are returned separately so validation can report them. */
export function selectSegments(
  selector: string,
  segments: readonly PolicySegment[],
): { ids: string[]; unknown?: string } {
  if (selector === '*') return { ids: segments.map((s) => s.id) };
  if (selector.startsWith('zone:')) {
    const zone = selector.slice(5);
    const ids = segments.filter((s) => s.zone === zone).map((s) => s.id);
    return ids.length ? { ids } : { ids, unknown: selector };
  }
  return segments.some((s) => s.id === selector) ? { ids: [selector] } : { ids: [], unknown: selector };
}

export function parsePorts(spec: number | string): [number, number] | undefined {
  if (typeof spec === 'number') return [spec, spec];
  if (spec === 'any') return [0, 65535];
  const [a, b] = spec.split('-').map(Number);
  if (a === undefined || Number.isNaN(a)) return undefined;
  const hi = b ?? a;
  return a <= hi && hi <= 65535 ? [a, hi] : undefined;
}

export function normaliseRule(rule: PolicyRuleInput, segments: readonly PolicySegment[]): PolicyRulePlan {
  const list = (s: string | string[]) => (Array.isArray(s) ? s : [s]);
  const ids = (s: string | string[]) => [
    ...new Set(list(s).flatMap((sel) => selectSegments(sel, segments).ids)),
  ];
  return {
    from: ids(rule.from),
    to: ids(rule.to),
    proto: rule.proto,
    ports: rule.ports.map(parsePorts).filter((p): p is [number, number] => p !== undefined),
    action: rule.action,
  };
}

/** Whether traffic from one segment to another on a port is allowed. Same segment is always allowed. */
export function allows(
  policy: { default: 'allow' | 'deny'; rules: readonly PolicyRulePlan[] },
  from: string,
  to: string,
  port: number,
  proto: 'tcp' | 'udp' = 'tcp',
): boolean {
  if (from === to) return true;
  for (const r of policy.rules) {
    if (!r.from.includes(from) || !r.to.includes(to)) continue;
    if (r.proto !== 'any' && r.proto !== proto) continue;
    if (!r.ports.some(([lo, hi]) => port >= lo && port <= hi)) continue;
    return r.action === 'allow';
  }
  return policy.default === 'allow';
}
