import { creditShare, detectionTarget, itemsNamed } from '../../src/scoring/detection-match';
import { falsePositives } from '../../src/scoring/false-positives';
import { groundTruth } from '../../src/scoring/ground-truth';
import { type IncidentReport, reportFromEvent } from '../../src/scoring/incident-report';
import { teamDirectory } from '../../src/scoring/team-directory';
import { buildPlan, C2_DOMAIN, C2_IP, HASH, Log } from './fixtures';

const plan = buildPlan();
const dir = teamDirectory(plan, 'team1');
const phish = plan.injects[0]!.expectations[0]!;
const truth = groundTruth(plan, new Log().steps('team1').events, dir);
const target = detectionTarget(phish, truth.steps.get('phish'));

function report(fields: Partial<IncidentReport>): IncidentReport {
  return {
    actor: 'alice',
    kind: 'incident',
    hosts: [],
    accounts: [],
    indicators: [],
    techniques: [],
    timeline: [],
    narrative: '',
    ...fields,
  };
}

describe('detection target', () => {
  test('lists every match item and the required count', () => {
    expect(target.items.map((i) => `${i.category}:${i.label}`)).toEqual([
      'host:pc-0001',
      'account:u0001',
      'indicator:evil-mail.example',
      'technique:T1566.001',
    ]);
    expect(target.require).toBe(3);
  });

  test('without match, any one item of the step ground truth is enough', () => {
    const bare = { ...phish, match: undefined };
    const t = detectionTarget(bare, truth.steps.get('phish'));
    expect(t.require).toBe(1);
    expect(t.items.map((i) => i.label)).toEqual([
      'pc-0001',
      'sato.k',
      'evil-mail.example',
      HASH,
      'T1566.001',
    ]);
  });

  test('require is capped at the number of items', () => {
    const t = detectionTarget(
      { ...phish, match: { hosts: ['pc-0001'], users: [], indicators: [], techniques: [], require: 5 } },
      undefined,
    );
    expect(t.require).toBe(1);
  });
});

describe('items a report names, with tolerance', () => {
  test.each<[string, Partial<IncidentReport>, string[]]>([
    ['exact', { hosts: ['pc-0001'] }, ['host:pc-0001']],
    ['upper-case FQDN', { hosts: ['PC-0001.CORP.EXAMPLE'] }, ['host:pc-0001']],
    ['the host by its address', { hosts: ['10.0.1.101'] }, ['host:pc-0001']],
    ['another team address is not the host', { hosts: ['10.1.1.101'] }, []],
    ['host listed as an indicator', { indicators: ['pc-0001.corp.example'] }, ['host:pc-0001']],
    ['account as DOMAIN\\user', { accounts: ['CORP\\sato.k'] }, ['account:u0001']],
    ['account as e-mail among indicators', { indicators: ['sato.k@corp.example'] }, ['account:u0001']],
    ['defanged domain', { indicators: ['evil-mail[.]example'] }, ['indicator:evil-mail.example']],
    [
      'sender address at the domain',
      { indicators: ['hr@evil-mail[.]example'] },
      ['indicator:evil-mail.example'],
    ],
    ['domain listed as a host', { hosts: ['evil-mail.example'] }, ['indicator:evil-mail.example']],
    ['parent technique', { techniques: ['T1566'] }, ['technique:T1566.001']],
    ['wrong sub-technique', { techniques: ['T1566.002'] }, []],
    ['wrong host', { hosts: ['pc-0002'] }, []],
    ['look-alike domain', { indicators: ['evil-mail.example.net'] }, []],
  ])('%s', (_name, fields, named) => {
    expect(itemsNamed(target, report(fields), dir)).toEqual(named);
  });
});

describe('partial credit: require N of M', () => {
  test.each([
    [0, 3, 0],
    [1, 3, 1 / 3],
    [2, 3, 2 / 3],
    [3, 3, 1],
    [4, 3, 1],
    [1, 0, 0],
  ])('%d named of %d required → %d', (named, require, share) => {
    expect(creditShare(named, require)).toBeCloseTo(share, 10);
  });
});

describe('false positives', () => {
  const c2Truth = groundTruth(plan, new Log().steps('team1').events, dir);
  test.each<[string, Partial<IncidentReport>, string[]]>([
    ['all true', { hosts: ['pc-0001', 'c2'], indicators: [C2_DOMAIN, C2_IP, HASH, 'evil-mail.example'] }, []],
    [
      'true in another notation',
      { hosts: ['PC-0001.corp.example'], indicators: ['203[.]0[.]113[.]7', `hxxp://${C2_DOMAIN}/gate`] },
      [],
    ],
    ['an uninvolved host', { hosts: ['pc-0002'] }, ['host:pc-0002']],
    [
      'an uninvolved host twice in two notations counts once',
      { hosts: ['pc-0002', 'PC-0002.corp.example'] },
      ['host:pc-0002'],
    ],
    ['an innocent domain', { indicators: ['windowsupdate.example'] }, ['domain:windowsupdate.example']],
    ['an innocent address', { indicators: ['198.51.100.1'] }, ['ip:198.51.100.1']],
    [
      'accounts and techniques are never false positives',
      { accounts: ['suzuki.h'], techniques: ['T1003'] },
      [],
    ],
  ])('%s', (_name, fields, keys) => {
    expect(falsePositives(report(fields), c2Truth, dir).map((f) => f.key)).toEqual(keys);
  });
});

describe('reading a submitted report', () => {
  test('a JSON body gives the structured fields, event indicators are merged', () => {
    const r = reportFromEvent({
      actor: 'alice',
      kind: 'Escalation',
      body: JSON.stringify({
        to: 'Management',
        hosts: ['pc-0001', 3],
        narrative: 'n',
        timeline: [{ at: '10:12', text: 'mail opened' }, 'bad'],
      }),
      indicators: ['evil[.]example'],
    });
    expect(r).toEqual({
      actor: 'alice',
      kind: 'escalation',
      to: 'management',
      hosts: ['pc-0001'],
      accounts: [],
      indicators: ['evil[.]example'],
      techniques: [],
      timeline: [{ at: '10:12', text: 'mail opened' }],
      narrative: 'n',
    });
  });

  test('a plain-text body is the narrative', () => {
    const r = reportFromEvent({ actor: 'a', kind: 'incident', body: '{not json', indicators: [] });
    expect(r.narrative).toBe('{not json');
    expect(r.hosts).toEqual([]);
  });
});
