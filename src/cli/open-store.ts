import { EventStore } from '../engine/store/event-store';
import { storageFaultOf } from '../engine/store/storage-fault';
import { CliExit, EXIT } from './exit-codes';

/**
 * Opens the event database for an exercise and proves it takes writes: a full or read-only
 * database is refused now, with the cause and the fix (exit 3), not discovered at the first inject
 * or the first participant's report.
 */
export function openWritableStore(db: string): EventStore {
  let store: EventStore;
  try {
    store = new EventStore(db);
  } catch (e) {
    const fault = storageFaultOf(e, db);
    throw new CliExit(
      EXIT.environment,
      fault
        ? `cyrange: refusing to start: ${fault.message}`
        : `${db}: cannot open the event database: ${(e as Error).message} — check the path`,
    );
  }
  try {
    store.checkWritable();
  } catch (e) {
    store.close();
    const fault = storageFaultOf(e, db);
    if (!fault) throw e;
    throw new CliExit(EXIT.environment, `cyrange: refusing to start: ${fault.message}`);
  }
  return store;
}
