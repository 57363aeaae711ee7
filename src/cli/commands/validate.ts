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
    .action((file: string, opts) => {
      const { scenario } = loadScenarioOrExit(file, scenarioOptionsOf(opts));
      if (!opts.quiet) {
        const hosts = scenario.hosts.reduce((n, h) => n + (h.count ?? 1), 0);
        const injects = scenario.msel?.injects.length ?? 0;
        process.stdout.write(
          `${file}: valid — ${hosts} hosts per team, ${scenario.teams.count} teams, ${injects} injects\n`,
        );
      }
    });
}
