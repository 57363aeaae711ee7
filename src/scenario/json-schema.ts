/**
 * The scenario format as JSON Schema, generated from the zod schema (raw mode, so `${param}` is
 * accepted where numbers go), for editors running the YAML language server.
 */
import { z } from 'zod';
import { buildScenarioSchema } from './schema';

export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(buildScenarioSchema('raw').scenario, {
    target: 'draft-7',
    // Editors check what people write, so defaulted keys are optional.
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: 'cyrange scenario (version 1)',
    description:
      'A cyber-defense exercise: organisation, network, hosts, teams, MSEL and scoring. See docs/SCENARIOS.md.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
