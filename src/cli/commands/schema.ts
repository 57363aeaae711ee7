/** `cyrange schema`: the scenario format as JSON Schema, for editors (yaml-language-server). */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { scenarioJsonSchema } from '../../scenario/json-schema';
import { CliExit, EXIT } from '../exit-codes';

export function schemaCommand(): Command {
  return new Command('schema')
    .description('print the JSON Schema of the scenario format (commit it next to the scenarios)')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .action((opts: { out?: string }) => {
      const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
      if (!opts.out) {
        process.stdout.write(text);
        return;
      }
      try {
        writeFileSync(opts.out, text);
      } catch (e) {
        throw new CliExit(EXIT.environment, `cannot write ${opts.out}: ${(e as Error).message}`);
      }
      process.stderr.write(`wrote ${opts.out}\n`);
    });
}
