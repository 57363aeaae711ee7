/**
 * The human summary of a plan (`cyrange plan` without `--json`): what one team's range holds by
 * segment, role and fidelity, where each team's copy lives, how many containers that takes, and
 * the MSEL by phase. Pure text from the plan, so it is as deterministic as the plan itself.
 */
import { formatClock, formatDuration } from '../common/duration';
import type { HostPlan, InjectPlan, Plan, TeamPlan } from '../compiler/plan';

export function formatPlanSummary(plan: Plan): string {
  const s = plan.scenario;
  const lines: string[] = [];
  lines.push(`${s.title} (${s.id})`);
  lines.push(
    `level ${s.level} · ${s.industry} · ${s.language} · ${s.timezone} · starts ${formatClock(s.start)} · ` +
      `${formatDuration(s.duration)} of scenario time at ×${s.compression} (${formatDuration(Math.ceil(s.duration / s.compression))} wall time)`,
  );
  const params = Object.entries(plan.parameters);
  if (params.length > 0) lines.push(`parameters: ${params.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  lines.push(
    `organisation: ${plan.organisation.name} — ${plan.users.length} staff in ${plan.organisation.departments.length} departments`,
  );
  const first = plan.teams[0];
  if (first) lines.push('', ...segmentTable(first), '', ...teamTable(plan));
  lines.push('', ...containers(plan), '', ...injectsByPhase(plan));
  return `${lines.join('\n')}\n`;
}

/** One team's hosts by segment, role and fidelity (every team's copy is identical). */
function segmentTable(team: TeamPlan): string[] {
  const out = ['Hosts per team, by segment (team 1 addresses):'];
  for (const seg of team.segments) {
    // Multi-homed hosts (the firewall) sit in every segment and are listed once, below.
    const hosts = team.hosts.filter((h) => h.segment === seg.id && h.interfaces.length === 1);
    const live = hosts.filter((h) => h.fidelity === 'live').length;
    out.push(
      `  ${pad(seg.id, 14)} ${pad(seg.zone, 10)} ${pad(seg.cidr, 18)} ${String(hosts.length).padStart(6)} hosts  ${String(live).padStart(3)} live`,
    );
    for (const [role, group] of byKey(hosts, (h) => h.role)) {
      const l = group.filter((h) => h.fidelity === 'live').length;
      out.push(
        `      ${pad(role, 18)} ${String(group.length).padStart(6)}  ${fidelityText(l, group.length - l)}`,
      );
    }
  }
  const multi = team.hosts.filter((h) => h.interfaces.length > 1);
  for (const h of multi)
    out.push(
      `  ${h.name} (${h.role}, ${h.fidelity}) has an interface in each of ${h.interfaces.length} segments`,
    );
  return out;
}

function teamTable(plan: Plan): string[] {
  const out = ['Teams (identical ranges, separate address blocks):'];
  for (const t of plan.teams) {
    const live = t.hosts.filter((h) => h.fidelity === 'live').length;
    out.push(
      `  ${t.id} ${pad(t.name, 16)} ${String(t.hosts.length).padStart(6)} hosts (${live} live)  ${blocks(t)}`,
    );
  }
  return out;
}

/** A team's segment blocks; long lists are cut (the JSON plan has them all). */
function blocks(team: TeamPlan): string {
  const cidrs = team.segments.map((s) => s.cidr);
  return cidrs.length <= 5 ? cidrs.join(' ') : `${cidrs.slice(0, 4).join(' ')} … (+${cidrs.length - 4} more)`;
}

function containers(plan: Plan): string[] {
  const perTeam = plan.teams[0]?.hosts.filter((h) => h.fidelity === 'live') ?? [];
  const memory = perTeam.reduce((sum, h) => sum + h.resources.memoryMb, 0);
  return [
    `Containers needed: ${perTeam.length} per team × ${plan.teams.length} teams = ${perTeam.length * plan.teams.length}` +
      ` (memory limits ${memory} MB per team, ${memory * plan.teams.length} MB in all)`,
    `  live hosts: ${perTeam.map((h) => h.name).join(', ') || 'none'}`,
  ];
}

function injectsByPhase(plan: Plan): string[] {
  const out = [`MSEL: ${plan.injects.length} injects in ${plan.phases.length} phases`];
  for (const phase of plan.phases) {
    const injects = plan.injects.filter((i) => i.phase === phase.id);
    const points = injects.reduce((sum, i) => sum + i.expectations.reduce((p, e) => p + e.points, 0), 0);
    out.push(`  ${phase.id} — ${phase.title}: ${injects.length} injects, ${points} points`);
    for (const inj of injects)
      out.push(`      ${pad(when(inj), 24)} ${pad(inj.channel, 9)} ${inj.id}: ${inj.title}`);
  }
  return out;
}

function when(inj: InjectPlan): string {
  const t = inj.trigger;
  switch (t.kind) {
    case 'offset':
      return `T+${formatDuration(t.at)}`;
    case 'cron':
      return `cron ${t.expression}`;
    case 'after':
      return `after ${t.inject}${t.delay > 0 ? ` +${formatDuration(t.delay)}` : ''}`;
    case 'manual':
      return 'manual';
  }
}

function byKey(hosts: HostPlan[], key: (h: HostPlan) => string): [string, HostPlan[]][] {
  const groups = new Map<string, HostPlan[]>();
  for (const h of hosts) (groups.get(key(h)) ?? groups.set(key(h), []).get(key(h))!).push(h);
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function fidelityText(live: number, simulated: number): string {
  return [live > 0 ? `${live} live` : '', simulated > 0 ? `${simulated} simulated` : '']
    .filter(Boolean)
    .join(', ');
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}
