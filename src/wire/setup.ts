/**
 * Setup and launch (`cyrange serve` without a FILE): the controller picks or pastes a scenario,
 * sees its problems in place, sets parameters and teams, and launches it. Shared by the setup
 * server (src/server/setup) and the setup page (web/src/pages/setup.ts).
 */

/** A scenario shipped in `scenarios/` that the setup page offers. */
export interface ShippedScenario {
  /** File name without `.yaml` (`quickstart`); what `GET /api/setup/scenarios/{name}` takes. */
  name: string;
  title: string;
  bytes: number;
}

/** One problem of the scenario text, at its place (1-based line and column). */
export interface SetupDiagnostic {
  /** The file the problem is in: the edited text itself, or a file it includes. */
  file: string;
  /** True when the problem is in the edited text (shown at its line); false for an included file or a flag. */
  inText: boolean;
  line: number;
  col: number;
  message: string;
  hint?: string;
}

export type LaunchMode = 'live' | 'simulated';

/** What the controller chose; the body of `POST /api/setup/validate` and `POST /api/setup/launch`. */
export interface SetupInput {
  /** Where the text came from: a shipped name (`quickstart`) or `pasted`; includes resolve next to it. */
  source: string;
  text: string;
  /** Scenario parameters, as `--set key=value` gives them. */
  set?: Record<string, string | number | boolean>;
  /** Overrides the scenario's team count (1-100). */
  teams?: number;
  mode: LaunchMode;
  /** Scenario seconds per wall second (default: the scenario's compression). */
  speed?: number;
  /** Live mode: the exercise id that prefixes every container (default: the scenario id). */
  exercise?: string;
}

/** A parameter the scenario declares under `parameters:`. */
export interface DeclaredParameter {
  name: string;
  default: string | number | boolean;
  /** Allowed values, when the scenario lists them. */
  values?: (string | number | boolean)[];
  description?: string;
}

/** The plan at a glance, before launching. */
export interface PlanSummaryView {
  scenario: string;
  title: string;
  level: string;
  /** The values in force (defaults and what `set` chose). */
  parameters: Record<string, string | number | boolean>;
  /** The parameters the scenario declares, for the page to offer their values. */
  declared: DeclaredParameter[];
  teams: { id: string; name: string }[];
  /** Hosts per team that run as containers (0 in simulated mode). */
  liveHostsPerTeam: number;
  simulatedHostsPerTeam: number;
  /** Containers the whole range needs (live hosts × teams). */
  containers: number;
  injects: number;
  phases: number;
  /** Scenario seconds and the compression the clock will run at. */
  duration: number;
  compression: number;
  exercise?: string;
}

export interface ValidateResult {
  ok: boolean;
  diagnostics: SetupDiagnostic[];
  /** Present when the scenario compiles. */
  summary?: PlanSummaryView;
}

export type SetupPhase = 'setup' | 'launching' | 'failed' | 'launched';

/** The steps a launch goes through, in order (live launches build images and the range). */
export type LaunchStep = 'saved' | 'images' | 'range' | 'session' | 'ready';

export interface LaunchProgressView {
  launch: number;
  step: LaunchStep;
  /** Image builds seen so far: cached, built, failed. */
  images: { total: number; done: number; failed: number };
  /** Hosts the range had to create, recreate or restart, and how many of them are ready or failed. */
  hosts: { total: number; ready: number; failed: number };
  /** A human line for the log pane (`image web: built cyrange/web:…`). */
  line?: string;
}

export interface LaunchRecordView {
  id: number;
  source: string;
  scenario: string;
  mode: LaunchMode;
  status: 'launching' | 'failed' | 'launched' | 'interrupted' | 'torn-down';
  session?: string;
  exercise?: string;
  error?: string;
  /** Wall ms. */
  createdAt: number;
}

/** `GET /api/setup/state` and the `setup:state` push. */
export interface SetupStateView {
  phase: SetupPhase;
  /** The current or last launch. */
  launch?: LaunchRecordView;
  /** The progress of the current launch, as last pushed. */
  progress?: LaunchProgressView;
}

/** Sent to the controllers' pages when the exercise is ready: log in to it with `token`. */
export interface LaunchedView {
  session: string;
  /** A controller join token of the new exercise (redeem with `POST /api/auth/join`). */
  token: string;
  url: string;
}

/** `POST /api/range/teardown`: what was removed from the engine. */
export interface TeardownResult {
  exercise: string;
  containers: number;
  networks: number;
  volumes: number;
  ms: number;
}

/** Largest scenario text the setup server accepts, bytes (the loader itself stops at 1 MB per file). */
export const MAX_SETUP_TEXT_BYTES = 1024 * 1024;
