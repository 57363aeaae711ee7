/**
 * A detection rule's conditions compiled into one predicate over a record's ECS fields. Pure:
 * the closed set of operators (equals, in, contains, cidr, regex, each optionally negated) is
 * all a scenario can ask for, and the loader has already refused unsafe patterns.
 */
import type { DetectionConditionPlan, DetectionPlan } from '../compiler/plan';
import type { FieldValue } from '../engine/telemetry/record';

export type FieldPredicate = (fields: Record<string, FieldValue>) => boolean;

/** The positive `equals` conditions: exact filters the telemetry search can narrow on. */
export function exactFilters(rule: DetectionPlan): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const c of rule.match) if (c.equals !== undefined && !c.not) out[c.field] = c.equals;
  return out;
}

export function compileMatcher(rule: DetectionPlan): FieldPredicate {
  const tests = rule.match.map(compileCondition);
  return (fields) => tests.every((t) => t(fields));
}

function compileCondition(c: DetectionConditionPlan): FieldPredicate {
  const test = operator(c);
  return c.not ? (f) => !test(f[c.field]) : (f) => test(f[c.field]);
}

function operator(c: DetectionConditionPlan): (v: FieldValue | undefined) => boolean {
  if (c.equals !== undefined) {
    const want = c.equals;
    return (v) => v === want || (v !== undefined && String(v) === String(want));
  }
  if (c.in !== undefined) {
    const set = new Set(c.in.map(String));
    return (v) => v !== undefined && set.has(String(v));
  }
  if (c.contains !== undefined) {
    const needle = c.contains.toLowerCase();
    return (v) => v !== undefined && String(v).toLowerCase().includes(needle);
  }
  if (c.cidr !== undefined) {
    const [base, bits] = c.cidr.split('/');
    const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
    const net = (ipv4(base ?? '') ?? 0) & mask;
    return (v) => {
      const ip = v === undefined ? undefined : ipv4(String(v));
      return ip !== undefined && (ip & mask) >>> 0 === net >>> 0;
    };
  }
  if (c.regex !== undefined) {
    const re = new RegExp(c.regex);
    // Values are bounded before matching, so even a slow pattern sees at most 1 KiB.
    return (v) => v !== undefined && re.test(String(v).slice(0, 1024));
  }
  return () => false;
}

function ipv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n >>> 0;
}
