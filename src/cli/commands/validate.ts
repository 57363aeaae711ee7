/** `cyrange validate FILE`: exit 0 when the scenario is valid, 1 with every problem listed when not. */
import { Command } from 'commander';
import { loadScenarioOrExit } from '../load-plan';
import { scenarioOptionsOf, withScenarioOptions } from '../scenario-options';

export function validateCommand(): Command {
  return withScenarioOptions(
    new Command('validate')
      .description('check a scenario file and report every problem as file:line:col: message — hint')
      .argument('<file>', 'scenario YAML file'),
  )
    .option('-q, --quiet', 'print nothing when the scenario is valid')
    .option('--simulated', 'validate as if every host were simulated (as `run` plays it without containers)')
    .action((file: string, opts) => {
      const fidelity = opts.simulated ? { fidelity: 'simulated' as const } : {};
      const { scenario } = loadScenarioOrExit(file, { ...scenarioOptionsOf(opts), ...fidelity });
      if (!opts.quiet) {
        // Counted as `plan` counts them: every entry expanded, plus the team's firewall.
        const firewall = scenario.network.firewall ? 1 : 0;
        const hosts = scenario.hosts.reduce((n, h) => n + (h.count ?? 1), firewall);
        const injects = scenario.msel?.injects.length ?? 0;
        process.stdout.write(
          `${file}: valid — ${hosts} hosts per team, ${scenario.teams.count} teams, ${injects} injects\n`,
        );
      }
    });
}
