/**
 * What the controller can do to a running exercise, as the smallest surface the server needs.
 * The engine's `SessionRunner` has exactly these verbs, so `cyrange serve` passes its runner;
 * a server without one (reading a log another process runs) answers these routes with 503.
 */
export interface ExerciseControl {
  start(compression?: number): void;
  pause(): void;
  resume(): void;
  setSpeed(compression: number): void;
  stop(): Promise<void>;
  /** Fires an inject now for one team, or every team with `team: null`. */
  fire(team: string | null, inject: string, by: string, reason: string): void;
  /** Cancels an inject: nothing more of it fires for the team (or every team). */
  skip(team: string | null, inject: string, by: string, reason: string): void;
}
