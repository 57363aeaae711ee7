/** Names must be unique, and every reference must name something that exists. */
import { expandName, expandNames } from '../../compiler/host-names';
import { HOST_NAME_PATTERN } from '../schema';
import type { PathSegment } from '../source';
import type { RuleContext } from './context';

export function checkNames(ctx: RuleContext): void {
  const s = ctx.scenario;
  unique(
    ctx,
    s.network.segments.map((x, i) => [x.id, ['network', 'segments', i, 'id']]),
    'segment',
  );
  unique(
    ctx,
    s.organisation.departments.map((x, i) => [x.id, ['organisation', 'departments', i, 'id']]),
    'department',
  );
  unique(
    ctx,
    s.organisation.people.map((x, i) => [x.id, ['organisation', 'people', i, 'id']]),
    'person',
  );
  unique(
    ctx,
    s.organisation.people.map((x, i) => [x.account, ['organisation', 'people', i, 'account']]),
    'account',
  );
  unique(
    ctx,
    (s.msel?.phases ?? []).map((x, i) => [x.id, ['msel', 'phases', i, 'id']]),
    'phase',
  );
  unique(
    ctx,
    (s.msel?.injects ?? []).map((x, i) => [x.id, ['msel', 'injects', i, 'id']]),
    'inject',
  );
  unique(
    ctx,
    (s.msel?.injects ?? []).flatMap((inj, i) =>
      inj.expectations.map((e, j) => [e.id, ['msel', 'injects', i, 'expectations', j, 'id']] as Entry),
    ),
    'expectation',
  );
  checkHostNames(ctx);
  checkOrganisationRefs(ctx);
}

type Entry = [string, PathSegment[]];

function unique(ctx: RuleContext, entries: Entry[], what: string): void {
  const seen = new Map<string, PathSegment[]>();
  for (const [name, path] of entries) {
    const first = seen.get(name);
    if (first)
      ctx.report(
        path,
        `duplicate ${what} \`${name}\``,
        `also at ${ctx.locate(first)}; ${what} names must be unique`,
      );
    else seen.set(name, path);
  }
}

function checkHostNames(ctx: RuleContext): void {
  const seen = new Map<string, number>();
  const valid = new RegExp(HOST_NAME_PATTERN);
  const fw = ctx.scenario.network.firewall?.name;
  ctx.scenario.hosts.forEach((h, i) => {
    const path = ['hosts', i];
    const pattern = /\{n(:\d+)?\}/.test(h.name);
    if (h.count !== undefined && !pattern) {
      ctx.report(
        [...path, 'name'],
        `host group \`${h.name}\` has a count but no \`{n}\` in its name`,
        'write the name as a pattern, e.g. `pc-{n:04}`',
      );
      return;
    }
    if (h.count === undefined && /\{/.test(h.name)) {
      ctx.report(
        [...path, 'name'],
        `\`${h.name}\` is a pattern but the entry has no \`count\``,
        'add `count:` or write a plain host name',
      );
      return;
    }
    if (h.count !== undefined && h.ip !== undefined) {
      ctx.report(
        [...path, 'ip'],
        'a fixed `ip` only fits a single host, not a group',
        'remove `ip` or drop `count`',
      );
    }
    // The first and last names of a group are the shortest and longest; checking them checks all.
    const names = h.count === undefined ? [h.name] : [expandName(h.name, 1), expandName(h.name, h.count)];
    for (const name of names) {
      if (!valid.test(name) || name.length > 63) {
        ctx.report(
          [...path, 'name'],
          `\`${name}\` is not a valid host name`,
          'use lowercase letters, digits and dashes, at most 63 characters',
        );
        return;
      }
    }
    const all = expandNames(h);
    for (const name of all) {
      const prev = seen.get(name);
      if (prev !== undefined || name === fw) {
        ctx.report(
          [...path, 'name'],
          `duplicate host \`${name}\``,
          prev !== undefined
            ? `also made by hosts[${prev}] at ${ctx.locate(['hosts', prev, 'name'])}`
            : "it is the firewall's name (network.firewall.name)",
        );
        break;
      }
      seen.set(name, i);
    }
    if (!ctx.segments.has(h.segment))
      ctx.unknown([...path, 'segment'], 'segment', h.segment, ctx.segments.keys());
    const depts = ctx.scenario.organisation.departments.map((d) => d.id);
    if (h.department !== undefined && !depts.includes(h.department))
      ctx.unknown([...path, 'department'], 'department', h.department, depts);
  });
}

function checkOrganisationRefs(ctx: RuleContext): void {
  const org = ctx.scenario.organisation;
  const depts = org.departments.map((d) => d.id);
  org.departments.forEach((d, i) => {
    if (!ctx.segments.has(d.segment))
      ctx.unknown(['organisation', 'departments', i, 'segment'], 'segment', d.segment, ctx.segments.keys());
  });
  org.people.forEach((p, i) => {
    if (!depts.includes(p.department))
      ctx.unknown(['organisation', 'people', i, 'department'], 'department', p.department, depts);
    if (p.host !== undefined && !ctx.hosts.has(p.host))
      ctx.unknown(['organisation', 'people', i, 'host'], 'host', p.host, ctx.hosts.keys());
  });
  const egress = ctx.scenario.network.egress;
  if (egress) {
    const proxy = ctx.hosts.get(egress.proxy);
    if (!proxy) ctx.unknown(['network', 'egress', 'proxy'], 'host', egress.proxy, ctx.hosts.keys());
    else if (proxy.entry.role !== 'proxy')
      ctx.report(
        ['network', 'egress', 'proxy'],
        `\`${egress.proxy}\` has role \`${proxy.entry.role}\`, not \`proxy\``,
        'name a host whose role is `proxy`',
      );
  }
  ctx.scenario.scoring.critical.forEach((h, i) => {
    if (!ctx.hosts.has(h)) ctx.unknown(['scoring', 'critical', i], 'host', h, ctx.hosts.keys());
  });
  try {
    new Intl.DateTimeFormat('en', { timeZone: ctx.scenario.metadata.timezone });
  } catch {
    ctx.report(
      ['metadata', 'timezone'],
      `unknown time zone \`${ctx.scenario.metadata.timezone}\``,
      'use an IANA name such as `Asia/Tokyo` or `UTC`',
    );
  }
}
