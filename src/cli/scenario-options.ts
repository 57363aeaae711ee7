/**
 * Options every verb that reads a scenario shares (`--set key=value`, `--teams N`), parsed once so
 * `validate`, `plan`, `up`, `run`… agree on their meaning. Bad flag values are usage errors (exit 2).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type ParamValue, parseSetValue } from '../scenario/parameters';

export interface ScenarioOptions {
  set: Record<string, ParamValue>;
  teams?: number;
}

const MAX_TEAMS = 100;

/** `--set level=C` (repeatable) → `{ level: 'C' }`; commander turns the thrown error into exit 2. */
export function collectSet(
  text: string,
  previous: Record<string, ParamValue> = {},
): Record<string, ParamValue> {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`\`${text}\` is not key=value (e.g. --set level=C)`);
  const key = text.slice(0, eq).trim();
  if (!/^[a-zA-Z_][\w-]*$/.test(key)) throw new InvalidArgumentError(`\`${key}\` is not a parameter name`);
  return { ...previous, [key]: parseSetValue(text.slice(eq + 1)) };
}

/** `--teams 10` → 10; anything but a whole number from 1 to 100 is a usage error. */
export function parseTeams(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_TEAMS) {
    throw new InvalidArgumentError(`teams must be a whole number from 1 to ${MAX_TEAMS}`);
  }
  return Number(text);
}

/** Adds `--set` and `--teams` to a verb. */
export function withScenarioOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--set <key=value>', 'set a scenario parameter (repeatable)')
        .argParser(collectSet)
        .default({}, ''),
    )
    .addOption(new Option('--teams <n>', "override the scenario's team count").argParser(parseTeams));
}

/** The shared options out of commander's option bag. */
export function scenarioOptionsOf(opts: {
  set?: Record<string, ParamValue>;
  teams?: number;
}): ScenarioOptions {
  return { set: opts.set ?? {}, ...(opts.teams !== undefined ? { teams: opts.teams } : {}) };
}
