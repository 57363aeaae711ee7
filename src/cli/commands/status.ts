/** `cyrange status [FILE] [--exercise ID]`: every team's live hosts and the state the engine reports for them. */
import { Command } from 'commander';
import { clientsFor, connectEngine } from '../../range/docker/clients';
import { rangeStatus } from '../../range/lifecycle/range-status';
import { exerciseIdOf } from '../../range/lifecycle/range-up';
import { swarmStatus } from '../../range/swarm/swarm-status';
import { loadPlan } from '../load-plan';
import { rangeExit } from '../range-exit';
import { parseBackend, parseExerciseId } from '../range-options';
import { scenarioOptionsOf, withScenarioOptions } from '../scenario-options';

export function statusCommand(): Command {
  return withScenarioOptions(
    new Command('status')
      .description('list the live hosts of every exercise (or one) with their state')
      .argument(
        '[file]',
        'scenario YAML file: only its exercise, and its live hosts missing from the engine',
      ),
  )
    .option('--exercise <id>', 'only this exercise', parseExerciseId)
    .option('--backend <name>', 'docker (containers) or swarm (services)', parseBackend, 'docker')
    .option('--json', 'print JSON')
    .action(async (file: string | undefined, opts) => {
      await rangeExit(async () => {
        const plan = file ? loadPlan(file, scenarioOptionsOf(opts)) : undefined;
        const exercise: string = (opts.exercise as string | undefined) ?? (plan ? exerciseIdOf(plan) : 'all');
        const clients = clientsFor(await connectEngine());
        const hosts = await (opts.backend === 'swarm' ? swarmStatus : rangeStatus)(clients, exercise, plan);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(hosts, null, 2)}\n`);
          return;
        }
        if (hosts.length === 0) {
          process.stdout.write('no live range hosts on this engine\n');
          return;
        }
        const rows = [['EXERCISE', 'TEAM', 'HOST', 'ROLE', 'STATE', 'ADDRESSES', 'STATUS']];
        for (const h of hosts)
          rows.push([h.exercise, h.team, h.host, h.role, h.state, h.ips.join(','), h.status]);
        const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
        for (const row of rows)
          process.stdout.write(
            `${row
              .map((c, i) => c.padEnd(widths[i]!))
              .join('  ')
              .trimEnd()}\n`,
          );
        const down = hosts.filter((h) => h.state !== 'running').length;
        process.stdout.write(`${hosts.length} hosts, ${hosts.length - down} running, ${down} not running\n`);
      });
    });
}
