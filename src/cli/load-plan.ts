/**
 * Loading a scenario file (and compiling it) for a CLI verb: on bad input it throws `CliExit(1)`
 * carrying every diagnostic as `file:line:col: message — hint`, so verbs never print a stack trace.
 */
import { formatDiagnostic } from '../common/diagnostic';
import { compile } from '../compiler/compile';
import type { Plan } from '../compiler/plan';
import { loadScenarioFile } from '../scenario/load';
import type { ParamValue } from '../scenario/parameters';
import type { Scenario } from '../scenario/schema';
import { CliExit, EXIT } from './exit-codes';
import type { ScenarioOptions } from './scenario-options';

export interface LoadedScenario {
  scenario: Scenario;
  parameters: Record<string, ParamValue>;
}

export interface LoadPlanOptions extends Partial<ScenarioOptions> {
  /** Forces every host simulated (no container engine). */
  fidelity?: 'simulated';
}

export function loadScenarioOrExit(file: string, options: LoadPlanOptions = {}): LoadedScenario {
  const result = loadScenarioFile(file, {
    set: options.set ?? {},
    ...(options.teams !== undefined ? { teams: options.teams } : {}),
    ...(options.fidelity ? { fidelity: options.fidelity } : {}),
  });
  if (!result.scenario || result.diagnostics.length > 0) {
    const lines = result.diagnostics.map(formatDiagnostic);
    const count = result.diagnostics.length;
    throw new CliExit(
      EXIT.invalid,
      `${lines.join('\n')}\n${file}: ${count} problem${count === 1 ? '' : 's'} found`,
    );
  }
  return { scenario: result.scenario, parameters: result.parameters };
}

/** Loads, validates and compiles a scenario file into its plan. */
export function loadPlan(file: string, options: LoadPlanOptions = {}): Plan {
  const { scenario, parameters } = loadScenarioOrExit(file, options);
  return compile(scenario, { parameters, ...(options.fidelity ? { fidelity: options.fidelity } : {}) });
}
