import { teamDirectory } from '../../src/scoring/team-directory';
import { buildPlan, C2_DOMAIN } from './fixtures';

const dir = teamDirectory(buildPlan(), 'team2');

describe('host names', () => {
  test.each([
    ['pc-0001', 'pc-0001'],
    ['PC-0001', 'pc-0001'],
    ['pc-0001.corp.example', 'pc-0001'],
    ['PC-0001.CORP.EXAMPLE.', 'pc-0001'],
    ['pc-0001.other.example', 'pc-0001'],
    ['10.1.1.101', 'pc-0001'],
    [C2_DOMAIN, 'c2'],
    ['dc01', 'dc01'],
  ])('%s is %s', (raw, host) => {
    expect(dir.knownHost(raw)).toBe(host);
  });

  test.each([['10.0.1.101'], ['pc-9999'], ['evil.example'], ['10.1.1']])(
    '%s is not a host of team2',
    (raw) => {
      expect(dir.knownHost(raw)).toBeUndefined();
    },
  );

  test('unknown names still compare by their first label', () => {
    expect(dir.host('PC-9999.corp.example')).toBe('pc-9999');
  });
});

describe('accounts', () => {
  test.each([
    ['u0001', 'u0001'],
    ['sato.k', 'u0001'],
    ['SATO.K', 'u0001'],
    ['CORP\\sato.k', 'u0001'],
    ['sato.k@corp.example', 'u0001'],
    ['sato.k[@]corp[.]example', 'u0001'],
    ['suzuki.h', 'u0002'],
  ])('%s is %s', (raw, id) => {
    expect(dir.knownUser(raw)).toBe(id);
  });

  test('an unknown account is not known but compares by its bare name', () => {
    expect(dir.knownUser('CORP\\tanaka')).toBeUndefined();
    expect(dir.user('CORP\\Tanaka')).toBe('tanaka');
  });
});
