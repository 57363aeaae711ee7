/** `cyrange down [FILE] [--exercise ID | --all]`: removes a live range by its labels, leaving nothing behind. */
import { Command } from 'commander';
import { clientsFor, connectEngine } from '../../range/docker/clients';
import { rangeDown } from '../../range/lifecycle/range-down';
import { exerciseIdOf } from '../../range/lifecycle/range-up';
import { swarmDown } from '../../range/swarm/swarm-down';
import { CliExit, EXIT } from '../exit-codes';
import { loadPlan } from '../load-plan';
import { rangeExit } from '../range-exit';
import { parseBackend, parseConcurrency, parseExerciseId } from '../range-options';

export function downCommand(): Command {
  return new Command('down')
    .description('remove the containers, networks and volumes of a live range (found by label)')
    .argument('[file]', 'scenario YAML file (its id names the exercise)')
    .option('--exercise <id>', 'the exercise to remove (as given to `up --exercise`)', parseExerciseId)
    .option('--all', 'remove every cyrange exercise on this engine')
    .option('--concurrency <n>', 'engine calls in flight at once (1-32)', parseConcurrency, 12)
    .option('--backend <name>', 'docker (containers) or swarm (services)', parseBackend, 'docker')
    .action(async (file: string | undefined, opts) => {
      const chosen = [file !== undefined || opts.exercise !== undefined, Boolean(opts.all)].filter(
        Boolean,
      ).length;
      if (chosen !== 1)
        throw new CliExit(EXIT.usage, 'cyrange down: give a scenario FILE, --exercise ID, or --all');
      await rangeExit(async () => {
        const exercise: string = opts.all
          ? 'all'
          : (opts.exercise ?? exerciseIdOf(loadPlan(file as string), undefined));
        const clients = clientsFor(await connectEngine());
        const down = opts.backend === 'swarm' ? swarmDown : rangeDown;
        const result = await down(clients, exercise, { concurrency: opts.concurrency as number });
        process.stdout.write(
          `${exercise === 'all' ? 'all exercises' : exercise}: removed ${result.containers} ${opts.backend === 'swarm' ? 'services' : 'containers'}, ` +
            `${result.networks} networks, ${result.volumes} volumes in ${(result.ms / 1000).toFixed(1)}s\n`,
        );
      });
    });
}
