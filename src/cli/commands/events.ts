/** `cyrange events --db PATH [--session ID] [--type T] [--team T] [--json]`: prints a session's event log. */
import { Command } from 'commander';
import { formatDuration } from '../../common/duration';
import { EventStore } from '../../engine/store/event-store';
import { CliExit, EXIT } from '../exit-codes';

export function eventsCommand(): Command {
  return new Command('events')
    .description("print a session's event log (or list the sessions of a database)")
    .option('--db <path>', 'event database (SQLite)', 'cyrange.db')
    .option('--session <id>', 'the session (omit to list sessions)')
    .option('--type <prefix>', 'only events whose type starts with this (e.g. inject., attack.step)')
    .option('--team <id>', 'only events of this team (and session-wide ones)')
    .option('--json', 'one JSON object per line')
    .action((opts) => {
      let store: EventStore;
      try {
        store = new EventStore(opts.db as string);
      } catch (e) {
        throw new CliExit(
          EXIT.environment,
          `${opts.db}: cannot open the event database: ${(e as Error).message}`,
        );
      }
      try {
        if (!opts.session) {
          for (const s of store.listSessions()) {
            process.stdout.write(
              `${s.id}\tcreated ${new Date(s.createdWall).toISOString()}\t${store.read(s.id).length} events\n`,
            );
          }
          return;
        }
        if (store.sessionPlan(opts.session as string) === undefined) {
          throw new CliExit(
            EXIT.invalid,
            `no session "${opts.session}" in ${opts.db} — run \`cyrange events --db ${opts.db}\` to list them`,
          );
        }
        for (const e of store.read(opts.session as string)) {
          if (opts.type && !e.type.startsWith(opts.type as string)) continue;
          if (opts.team && e.team !== null && e.team !== opts.team) continue;
          if (opts.json) process.stdout.write(`${JSON.stringify(e)}\n`);
          else {
            const p = e.payload as Record<string, unknown>;
            const what = ['inject', 'occurrence', 'technique', 'subject', 'reason', 'latenessMs']
              .filter((k) => p[k] !== undefined)
              .map((k) => `${k}=${typeof p[k] === 'number' ? (p[k] as number).toFixed(1) : String(p[k])}`)
              .join(' ');
            process.stdout.write(
              `${String(e.seq).padStart(6)} T+${formatDuration(Math.floor(e.scenarioTime)).padEnd(8)} ${new Date(e.wallTime).toISOString()} ${(e.team ?? '*').padEnd(6)} ${e.type.padEnd(20)} ${what}\n`,
            );
          }
        }
      } finally {
        store.close();
      }
    });
}
