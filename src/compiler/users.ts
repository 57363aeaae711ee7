/**
 * The organisation's staff: named key people from the scenario plus generated staff to fill each
 * department's headcount, with names that fit the scenario's language, unique accounts, and one
 * workstation each where the department has them. Deterministic from the seed.
 */
import { hashString, Random } from '../common/random';
import type { Scenario } from '../scenario/schema';
import { EN_FAMILY, EN_GIVEN } from './names/en';
import { JA_FAMILY, JA_GIVEN } from './names/ja';
import type { UserPlan } from './plan';

const TITLES = {
  ja: ['係員', '係員', '係員', '主任', '主任', '係長', '課長補佐', '課長'],
  en: [
    'Officer',
    'Officer',
    'Officer',
    'Senior Officer',
    'Senior Officer',
    'Team Lead',
    'Deputy Director',
    'Director',
  ],
};

interface GeneratedName {
  display: string;
  latin: string;
  given: string;
  family: string;
}

function generateName(lang: 'ja' | 'en', rnd: Random): GeneratedName {
  if (lang === 'ja') {
    const [fk, fr] = rnd.pick(JA_FAMILY);
    const [gk, gr] = rnd.pick(JA_GIVEN);
    return { display: `${fk} ${gk}`, latin: `${cap(gr)} ${cap(fr)}`, given: gr, family: fr };
  }
  const f = rnd.pick(EN_FAMILY);
  const g = rnd.pick(EN_GIVEN);
  return { display: `${cap(g)} ${cap(f)}`, latin: `${cap(g)} ${cap(f)}`, given: g, family: f };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function accountFor(pattern: string, name: { given: string; family: string }, n: number): string {
  return pattern
    .replace('{given}', name.given)
    .replace('{family}', name.family)
    .replace('{g}', name.given.charAt(0))
    .replace('{f}', name.family.charAt(0))
    .replace('{n}', String(n));
}

export function parseHours(text: string | undefined): { start: number; end: number } {
  const [a, b] = (text ?? '08:30-17:15').split('-');
  const sec = (t: string) => {
    const [h, m] = t.split(':').map(Number);
    return h! * 3600 + m! * 60;
  };
  return { start: sec(a!), end: sec(b!) };
}

export function generateUsers(scenario: Scenario): UserPlan[] {
  const org = scenario.organisation;
  const lang = scenario.metadata.language;
  const rnd = new Random(hashString('users', scenario.metadata.seed));
  const pattern = org.accounts?.pattern ?? '{given}.{family}';
  const accounts = new Set(org.people.map((p) => p.account));
  const users: UserPlan[] = [];
  for (const dept of org.departments) {
    const hours = parseHours(dept.workingHours);
    const named = org.people.filter((p) => p.department === dept.id);
    for (const p of named) {
      users.push({
        id: p.id,
        name: p.name,
        latinName: p.latinName ?? p.name,
        account: p.account,
        email: `${p.account}@${org.domain}`,
        department: dept.id,
        title: p.title ?? '',
        host: p.host,
        workingHours: hours,
        tags: p.tags ?? [],
      });
    }
    for (let i = named.length; i < dept.headcount; i++) {
      const name = generateName(lang, rnd);
      let account = accountFor(pattern, name, i + 1);
      for (let k = 2; accounts.has(account); k++) account = `${accountFor(pattern, name, i + 1)}${k}`;
      accounts.add(account);
      users.push({
        id: account,
        name: name.display,
        latinName: name.latin,
        account,
        email: `${account}@${org.domain}`,
        department: dept.id,
        title: rnd.pick(TITLES[lang]),
        workingHours: hours,
        tags: [],
      });
    }
  }
  return users;
}
