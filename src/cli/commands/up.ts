/** `cyrange up FILE [--teams N]`: brings every team's live range up on the Docker engine, or reconciles it. */
import { Command } from 'commander';
import { clientsFor, connectEngine } from '../../range/docker/clients';
import { rangeUp } from '../../range/lifecycle/range-up';
import { swarmUp } from '../../range/swarm/swarm-up';
import { loadPlan } from '../load-plan';
import { rangeExit } from '../range-exit';
import { parseBackend, parseConcurrency, parseExerciseId } from '../range-options';
import { terminalProgress } from '../range-progress';
import { scenarioOptionsOf, withScenarioOptions } from '../scenario-options';

export function upCommand(): Command {
  return withScenarioOptions(
    new Command('up')
      .description(
        'bring the live range up (images, networks, hosts); run again to reconcile with the scenario',
      )
      .argument('<file>', 'scenario YAML file'),
  )
    .option(
      '--exercise <id>',
      'name of this run (prefix of every container; default: the scenario id)',
      parseExerciseId,
    )
    .option('--concurrency <n>', 'engine calls in flight at once (1-32)', parseConcurrency, 12)
    .option(
      '--backend <name>',
      'docker (containers on this engine) or swarm (services)',
      parseBackend,
      'docker',
    )
    .option('--simulated', 'force every host simulated: nothing to start, no container engine needed')
    .option('--verbose', 'show every image build line and host state')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts) => {
      const plan = loadPlan(file, {
        ...scenarioOptionsOf(opts),
        ...(opts.simulated ? { fidelity: 'simulated' as const } : {}),
      });
      if (opts.simulated) {
        // Classrooms without Docker: every host is simulated by the exercise engine, nothing runs here.
        const hosts = plan.teams.reduce((n, t) => n + t.hosts.length, 0);
        process.stdout.write(
          `${plan.scenario.id}: ${hosts} hosts in ${plan.teams.length} teams, all simulated; no live range to bring up\n`,
        );
        return;
      }
      await rangeExit(async () => {
        const clients = clientsFor(await connectEngine());
        const progress = terminalProgress({ verbose: Boolean(opts.verbose) });
        const up = opts.backend === 'swarm' ? swarmUp : rangeUp;
        const result = await up(clients, plan, {
          ...(opts.exercise ? { exercise: opts.exercise as string } : {}),
          concurrency: opts.concurrency as number,
          onProgress: progress,
        }).finally(() => progress.done());
        if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else {
          process.stdout.write(
            `${result.exercise}: ${result.ready.length} hosts ready, ${result.failed.length} failed, ` +
              `${result.kept} unchanged, ${result.removed} removed in ${(result.ms / 1000).toFixed(1)}s\n`,
          );
          for (const f of result.failed) process.stdout.write(`  failed ${f.name}: ${f.reason}\n`);
        }
        if (result.failed.length) process.exitCode = 3;
      });
    });
}
