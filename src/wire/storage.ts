/**
 * Whether the exercise database takes writes. When it does not (disk full, read-only, I/O error),
 * every page says so: participants know their report was refused, not lost, and the controller
 * knows what to fix. Pushed as `exercise:storage` on every change and to late joiners.
 */
export interface StorageStateView {
  ok: boolean;
  /** Why writes are refused (absent when `ok`). */
  cause?: 'full' | 'read-only' | 'io' | 'cannot-open';
  /** The cause, the file and the fix, as the server words it. */
  message?: string;
  /** Wall-clock ms since when writes are refused. */
  since?: number;
}
