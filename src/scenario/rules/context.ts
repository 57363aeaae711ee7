/**
 * What every cross-reference rule gets: the schema-valid scenario, indexes of what it names, and
 * a `report` that places a diagnostic at a path of the source document.
 */
import type { Diagnostic } from '../../common/diagnostic';
import { didYouMean } from '../../common/suggest';
import { expandNames } from '../../compiler/host-names';
import type { Scenario, ScenarioHost } from '../schema';
import { nodeAt, type PathSegment, positionOf, type SourceFile } from '../source';

export interface HostRef {
  entry: ScenarioHost;
  index: number;
}

export interface RuleContext {
  scenario: Scenario;
  /** Every host name (groups expanded) → the entry it came from. */
  hosts: Map<string, HostRef>;
  segments: Map<string, Scenario['network']['segments'][number]>;
  people: Set<string>;
  injects: Set<string>;
  expectations: Set<string>;
  /** `simulated` when the whole range is forced simulated (`--fidelity simulated`). */
  fidelity?: 'simulated';
  report(path: PathSegment[], message: string, hint?: string, key?: boolean): void;
  /** `line:col` of a path, for hints that point at a second place ("also defined at 12:5"). */
  locate(path: PathSegment[]): string;
  /** Reports an unknown reference with a "did you mean" drawn from the known names. */
  unknown(path: PathSegment[], what: string, name: string, known: Iterable<string>): void;
}

export function createContext(
  scenario: Scenario,
  source: SourceFile,
  out: Diagnostic[],
  fidelity?: 'simulated',
): RuleContext {
  const hosts = new Map<string, HostRef>();
  scenario.hosts.forEach((entry, index) => {
    if (entry.count === undefined && !/\{n/.test(entry.name)) {
      if (!hosts.has(entry.name)) hosts.set(entry.name, { entry, index });
      return;
    }
    if (entry.count !== undefined && /\{n/.test(entry.name)) {
      for (const name of expandNames(entry)) if (!hosts.has(name)) hosts.set(name, { entry, index });
    }
  });
  const firewall = scenario.network.firewall;
  if (firewall) hosts.set(firewall.name, { entry: firewallEntry(firewall), index: -1 });
  const report: RuleContext['report'] = (path, message, hint, key = false) => {
    out.push({ ...positionOf(nodeAt(source.doc, path, key), source), message, hint });
  };
  return {
    scenario,
    hosts,
    segments: new Map(scenario.network.segments.map((s) => [s.id, s])),
    people: new Set(scenario.organisation.people.map((p) => p.id)),
    injects: new Set((scenario.msel?.injects ?? []).map((i) => i.id)),
    expectations: new Set((scenario.msel?.injects ?? []).flatMap((i) => i.expectations.map((e) => e.id))),
    fidelity,
    report,
    locate(path) {
      const at = positionOf(nodeAt(source.doc, path), source);
      return at.file === source.path ? `${at.line}:${at.col}` : `${at.file}:${at.line}:${at.col}`;
    },
    unknown(path, what, name, known) {
      report(path, `unknown ${what} \`${name}\``, didYouMean(name, known) ?? `define the ${what} first`);
    },
  };
}

function firewallEntry(fw: { name: string; fidelity: 'live' | 'simulated' }): ScenarioHost {
  return {
    name: fw.name,
    role: 'firewall',
    segment: '*',
    fidelity: fw.fidelity,
    services: [],
    aliases: [],
    tags: [],
  };
}

/** A host's effective fidelity once `--fidelity simulated` is taken into account. */
export function isLive(ctx: RuleContext, host: string): boolean {
  return ctx.fidelity !== 'simulated' && ctx.hosts.get(host)?.entry.fidelity === 'live';
}
