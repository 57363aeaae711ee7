/** `cyrange up FILE [--teams N]`: brings every team's live range up on the Docker engine, or reconciles it. */
import { Command } from 'commander';
import { clientsFor, connectEngine } from '../../range/docker/clients';
import { rangeUp } from '../../range/lifecycle/range-up';
import { loadPlan } from '../load-plan';
import { rangeExit } from '../range-exit';
import { parseConcurrency } from '../range-options';
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
    .option('--exercise <id>', 'name of this run (prefix of every container; default: the scenario id)')
    .option('--concurrency <n>', 'engine calls in flight at once (1-32)', parseConcurrency, 12)
    .option('--verbose', 'show every image build line and host state')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts) => {
      const plan = loadPlan(file, scenarioOptionsOf(opts));
      await rangeExit(async () => {
        const clients = clientsFor(await connectEngine());
        const progress = terminalProgress({ verbose: Boolean(opts.verbose) });
        const result = await rangeUp(clients, plan, {
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
