/** `cyrange plan FILE`: the concrete per-team plan, as a human summary or (`--json`) in full. */
import { Command } from 'commander';
import { loadPlan } from '../load-plan';
import { formatPlanSummary } from '../plan-summary';
import { scenarioOptionsOf, withScenarioOptions } from '../scenario-options';

export function planCommand(): Command {
  return withScenarioOptions(
    new Command('plan')
      .description(
        'compile a scenario into the concrete plan for every team (hosts, addresses, users, injects)',
      )
      .argument('<file>', 'scenario YAML file'),
  )
    .option('--json', 'print the full plan as JSON (byte-for-byte deterministic)')
    .option('--simulated', 'force every host simulated (no container engine needed)')
    .action((file: string, opts) => {
      const plan = loadPlan(file, {
        ...scenarioOptionsOf(opts),
        ...(opts.simulated ? { fidelity: 'simulated' as const } : {}),
      });
      process.stdout.write(opts.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlanSummary(plan));
    });
}
