/** Holds a session's runner lease until killed: `… lease-holder.ts DB SESSION`; prints HOLDING. */
import { SandboxHostDriver } from '../../../src/engine/live/sandbox-host-driver';
import { SessionRunner } from '../../../src/engine/session/session-runner';
import { EventStore } from '../../../src/engine/store/event-store';

const [db, session] = process.argv.slice(2);
const store = new EventStore(db!);
new SessionRunner({ store, session: session!, driver: new SandboxHostDriver(`${db}.sandbox`) });
process.stdout.write('HOLDING\n');
setTimeout(() => process.exit(0), 20_000);
