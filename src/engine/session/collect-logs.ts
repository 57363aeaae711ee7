import type { TelemetryTable } from '../store/telemetry-table';
import type { FieldValue } from '../telemetry/record';
import type { SessionLog } from './session-log';

/** One record collected from a live host: Unix ms and ECS fields. */
export interface CollectedRecord {
  ts: number;
  fields: Record<string, FieldValue>;
}

/**
 * Stores a batch of records collected from a live host's logs into its team's telemetry stream,
 * once per `key` (e.g. `<file>:<offset>`), with a `telemetry.collected` event in the same
 * transaction: a collector retrying after a crash cannot store a batch twice. `host.name` is set
 * from `host` when a record lacks it. Returns false when the batch was already stored (or empty).
 */
export function collectLogs(
  env: { log: SessionLog; telemetry: TelemetryTable },
  batch: { team: string; host: string; source: string; key: string; records: CollectedRecord[] },
): boolean {
  const { team, host, source, records } = batch;
  if (records.length === 0) return false;
  const key = `${env.log.session}/${team}/collected/${batch.key}`;
  const sorted = [...records].sort((a, b) => a.ts - b.ts);
  return env.log.batch(() => {
    if (env.log.hasKey(key)) return false;
    env.telemetry.insert(
      sorted.map((r) => {
        const fields: Record<string, FieldValue> = { 'host.name': host, ...r.fields };
        const user = String(fields['user.name'] ?? '');
        return {
          session: env.log.session,
          team,
          source,
          trackable: null,
          record: { ts: r.ts, host, user, action: String(fields['event.action'] ?? source), fields },
        };
      }),
    );
    env.log.write([
      {
        type: 'telemetry.collected',
        team,
        key,
        payload: {
          host,
          source,
          count: sorted.length,
          firstMs: sorted[0]!.ts,
          lastMs: sorted[sorted.length - 1]!.ts,
        },
      },
    ]);
    return true;
  });
}
