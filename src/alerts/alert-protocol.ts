/** Messages between the server and its detection worker. */
import type { FieldValue } from '../engine/telemetry/record';

export interface AlertWorkerData {
  dbPath: string;
  session: string;
  /** The session's plan (with the session's seed); its `detections` are evaluated. */
  plan: unknown;
  epochMs: number;
  /** Unix ms from which rules are evaluated. */
  fromMs: number;
}

export interface AlertStep {
  id: number;
  /** Per team: evaluate up to this unix ms (the scenario time the telemetry is seen at). */
  targets: { team: string; toMs: number }[];
  maxSliceMs: number;
}

export interface WorkerAlert {
  team: string;
  key: string;
  rule: string;
  group?: string;
  count: number;
  firstMs: number;
  lastMs: number;
  samples: Record<string, FieldValue>[];
}

export interface AlertStepReply {
  id: number;
  raised: WorkerAlert[];
  error?: string;
}
