/**
 * Validates what the controller chose with the real loader and compiler (the same code as
 * `cyrange validate` and `cyrange plan`), turning every problem into a diagnostic placed at its
 * line of the edited text, and a compiling scenario into the plan summary the page shows.
 */
import type { Diagnostic } from '../../common/diagnostic';
import { compile } from '../../compiler/compile';
import type { Plan } from '../../compiler/plan';
import { exerciseIdOf } from '../../range/lifecycle/range-up';
import { RangeFailure } from '../../range/range-error';
import { loadScenarioText } from '../../scenario/load';
import type {
  DeclaredParameter,
  PlanSummaryView,
  SetupDiagnostic,
  SetupInput,
  ValidateResult,
} from '../../wire/setup';
import type { ScenarioLibrary } from './scenario-library';

export interface CheckedScenario {
  result: ValidateResult;
  /** The compiled plan, when the scenario has no problem. */
  plan?: Plan;
  /** Live mode: the exercise id the range will carry. */
  exercise?: string;
}

export function checkScenario(input: SetupInput, library: ScenarioLibrary): CheckedScenario {
  const path = library.pathOf(input.source);
  const fidelity = input.mode === 'simulated' ? ('simulated' as const) : undefined;
  const loaded = loadScenarioText(path, input.text, {
    set: input.set ?? {},
    ...(input.teams !== undefined ? { teams: input.teams } : {}),
    ...(fidelity ? { fidelity } : {}),
    read: library.read,
  });
  const place = (d: Diagnostic): SetupDiagnostic => ({
    file: d.file.startsWith('--') ? d.file : library.display(d.file),
    inText: d.file === path,
    line: d.line,
    col: d.col,
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
  });
  if (!loaded.scenario || loaded.diagnostics.length > 0) {
    return { result: { ok: false, diagnostics: loaded.diagnostics.map(place) } };
  }
  const plan = compile(loaded.scenario, {
    parameters: loaded.parameters,
    ...(fidelity ? { fidelity } : {}),
  });
  let exercise: string | undefined;
  if (input.mode === 'live') {
    try {
      exercise = exerciseIdOf(plan, input.exercise);
    } catch (e) {
      if (!(e instanceof RangeFailure)) throw e;
      const problem: SetupDiagnostic = {
        file: 'exercise',
        inText: false,
        line: 1,
        col: 1,
        message: e.message,
      };
      return { result: { ok: false, diagnostics: [problem] } };
    }
  }
  const declared = Object.entries(loaded.scenario.parameters).map(([name, p]) => ({
    name,
    default: p.default,
    ...(p.values ? { values: p.values } : {}),
    ...(p.description ? { description: p.description } : {}),
  }));
  const summary = summarise(plan, input, exercise, declared);
  return { result: { ok: true, diagnostics: [], summary }, plan, ...(exercise ? { exercise } : {}) };
}

function summarise(
  plan: Plan,
  input: SetupInput,
  exercise: string | undefined,
  declared: DeclaredParameter[],
): PlanSummaryView {
  const first = plan.teams[0];
  const live = first ? first.hosts.filter((h) => h.fidelity === 'live').length : 0;
  const all = first ? first.hosts.length : 0;
  return {
    scenario: plan.scenario.id,
    title: plan.scenario.title,
    level: plan.scenario.level,
    parameters: plan.parameters,
    declared,
    teams: plan.teams.map((t) => ({ id: t.id, name: t.name })),
    liveHostsPerTeam: live,
    simulatedHostsPerTeam: all - live,
    containers: live * plan.teams.length,
    injects: plan.injects.length,
    phases: plan.phases.length,
    duration: plan.scenario.duration,
    compression: input.speed ?? plan.scenario.compression,
    ...(exercise ? { exercise } : {}),
  };
}
