/**
 * Loading a scenario: parse (keeping positions) → includes → parameters → schema → cross-reference
 * rules → attachments. Every stage adds diagnostics instead of stopping, so a file's author sees
 * all problems at once. File access goes through `read`, so the same code runs on text in tests.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, type Node } from 'yaml';
import { type Diagnostic, sortDiagnostics } from '../common/diagnostic';
import { resolveIncludes } from './includes';
import { applyParameters, type ParamValue } from './parameters';
import { checkAddressing } from './rules/addressing';
import { checkAfterChains } from './rules/after-chains';
import { createContext } from './rules/context';
import { checkDetections } from './rules/detections';
import { checkMsel } from './rules/msel';
import { checkNames } from './rules/names';
import { checkPolicy } from './rules/policy-rules';
import { checkTriggers } from './rules/triggers';
import { type Scenario, ScenarioSchema } from './schema';
import { schemaDiagnostics } from './schema-errors';
import { nodeAt, originOf, parseSource, positionOf, type ReadFile, type SourceFile, toPlain } from './source';

export interface LoadOptions {
  /** `--set key=value` overrides of parameters. */
  set?: Record<string, ParamValue>;
  /** `--teams N` overrides the scenario's team count. */
  teams?: number;
  fidelity?: 'simulated';
  read?: ReadFile;
}

export interface LoadResult {
  scenario?: Scenario;
  parameters: Record<string, ParamValue>;
  diagnostics: Diagnostic[];
}

const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

/** A problem with the file as a whole (unreadable, too large, not a map): reported at 1:1. */
function wholeFileProblem(file: string, message: string, hint: string): LoadResult {
  return { parameters: {}, diagnostics: [{ file, line: 1, col: 1, message, hint }] };
}

export function loadScenarioFile(path: string, options: LoadOptions = {}): LoadResult {
  const read = options.read ?? ((p: string) => readFileSync(p, 'utf8'));
  let text: string;
  try {
    text = read(path);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    return wholeFileProblem(path, `cannot read scenario: ${reason}`, 'check the path');
  }
  return loadScenarioText(path, text, { ...options, read });
}

export function loadScenarioText(path: string, text: string, options: LoadOptions = {}): LoadResult {
  const read = options.read ?? ((p: string) => readFileSync(p, 'utf8'));
  const { source, diagnostics } = parseSource(path, text);
  if (diagnostics.length > 0) return { parameters: {}, diagnostics: sortDiagnostics(diagnostics) };
  if (!isMap(source.doc.contents)) {
    return wholeFileProblem(
      path,
      'a scenario is a map of sections (cyrange, metadata, organisation, network, …)',
      'start from scenarios/quickstart.yaml',
    );
  }
  const out: Diagnostic[] = [];
  out.push(...resolveIncludes(source, read, (from, rel) => resolve(dirname(from), rel)));
  const parameters = applyParameters(source, options.set ?? {}, out);
  const plain = toPlain(source);
  if (plain.diagnostic)
    return { parameters, diagnostics: sortDiagnostics(dedupe([...out, plain.diagnostic])) };
  const parsed = ScenarioSchema.safeParse(plain.data);
  if (!parsed.success) {
    out.push(...schemaDiagnostics(parsed.error.issues, ScenarioSchema, source));
    return { parameters, diagnostics: sortDiagnostics(dedupe(out)) };
  }
  const scenario = parsed.data;
  settleTeamCount(scenario, plain.data, source, options.teams, out);
  if (out.length === 0) runRules(scenario, source, out, options.fidelity);
  if (out.length === 0) inlineAttachments(scenario, source, read, out);
  return out.length > 0
    ? { parameters, diagnostics: sortDiagnostics(dedupe(out)) }
    : { scenario, parameters, diagnostics: [] };
}

/** The most teams an exercise has (the schema's bound on `teams.count`, and `--teams`'). */
const MAX_TEAMS = 100;

/**
 * `teams: { names: [...] }` alone means one team per name; `--teams N` overrides both. A count
 * written next to more names than it allows is a contradiction, reported rather than guessed.
 */
function settleTeamCount(
  scenario: Scenario,
  raw: unknown,
  source: SourceFile,
  override: number | undefined,
  out: Diagnostic[],
): void {
  const names = scenario.teams.names;
  const written = (raw as { teams?: { count?: unknown } }).teams?.count !== undefined;
  if (override !== undefined && !(Number.isInteger(override) && override >= 1 && override <= MAX_TEAMS)) {
    // Unchecked, a million teams kept the addressing rules busy for minutes.
    out.push({
      file: '--teams',
      line: 1,
      col: 1,
      message: `\`${override}\` is not a whole number of teams from 1 to ${MAX_TEAMS}`,
      hint: 'give e.g. --teams 4',
    });
  } else if (override !== undefined) {
    scenario.teams.count = override;
  } else if (names && !written) {
    scenario.teams.count = Math.max(1, Math.min(names.length, 100));
  } else if (names && names.length > scenario.teams.count) {
    out.push({
      ...positionOf(nodeAt(source.doc, ['teams', 'names']), source),
      message: `${names.length} team names for ${scenario.teams.count} teams`,
      hint: 'remove `count` (one team per name) or some names',
    });
  }
}

/**
 * Rules expand host groups into names, so a scenario asking for millions of hosts is refused
 * before expansion: the limit is ten times the largest range the compiler is benchmarked on.
 */
const MAX_HOSTS_PER_TEAM = 100_000;

function runRules(scenario: Scenario, source: SourceFile, out: Diagnostic[], fidelity?: 'simulated'): void {
  const total = scenario.hosts.reduce((n, h) => n + (h.count ?? 1), 0);
  if (total > MAX_HOSTS_PER_TEAM) {
    out.push({
      ...positionOf(nodeAt(source.doc, ['hosts']), source),
      message: `${total} hosts per team is more than the ${MAX_HOSTS_PER_TEAM} cyrange supports`,
      hint: 'lower the `count` of the largest groups',
    });
    return;
  }
  const ctx = createContext(scenario, source, out, fidelity);
  checkNames(ctx);
  checkAddressing(ctx, scenario.teams.count);
  checkPolicy(ctx);
  checkTriggers(ctx);
  checkAfterChains(ctx);
  checkMsel(ctx);
  checkDetections(ctx);
}

/** Attachments given as `file:` are read relative to the file that names them. */
function inlineAttachments(scenario: Scenario, source: SourceFile, read: ReadFile, out: Diagnostic[]): void {
  (scenario.msel?.injects ?? []).forEach((inj, i) => {
    const action = inj.action;
    if (action.type !== 'message' && action.type !== 'mail') return;
    action.attachments.forEach((att, j) => {
      if (att.file === undefined) return;
      const node = nodeAt(source.doc, ['msel', 'injects', i, 'action', 'attachments', j, 'file']) as Node;
      const origin = originOf(node, source);
      try {
        const content = read(resolve(dirname(origin.path), att.file));
        if (content.length > MAX_ATTACHMENT_BYTES) throw new Error('larger than 5 MB');
        att.content = content;
        delete att.file;
      } catch (e) {
        out.push({
          ...positionOf(node, source),
          message: `cannot read attachment \`${att.file}\`: ${(e as Error).message.split(',')[0]}`,
          hint: 'paths are relative to the scenario file that names them',
        });
      }
    });
  });
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.file}:${d.line}:${d.col}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
