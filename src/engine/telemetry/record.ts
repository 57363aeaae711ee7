/**
 * One telemetry record in Elastic Common Schema field names. `ts` is unix ms; `@timestamp` is
 * rendered only for records a search returns, since formatting dates is the costliest part of
 * generating millions of them.
 */
export type FieldValue = string | number | boolean;

export interface TelemetryRecord {
  /** Stable id: `b:` regenerated background, `s:` stored (inject artifacts, live logs). */
  id: string;
  ts: number;
  fields: Record<string, FieldValue>;
}

/** What a team sees: the fields plus `@timestamp`; ground truth (trackable ids) never leaves. */
export function toDocument(r: TelemetryRecord): Record<string, FieldValue> {
  return { '@timestamp': new Date(r.ts).toISOString(), ...r.fields };
}
