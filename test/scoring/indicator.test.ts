import { indicatorMatches, parseIndicator, refang } from '../../src/scoring/indicator';
import { parseTechnique, techniqueMatches } from '../../src/scoring/technique';

describe('refang', () => {
  test.each([
    ['evil[.]example', 'evil.example'],
    ['evil(.)example', 'evil.example'],
    ['evil{.}example', 'evil.example'],
    ['evil[dot]example', 'evil.example'],
    ['evil [.] example', 'evil.example'],
    ['hxxp://evil[.]example/a', 'http://evil.example/a'],
    ['hxxps[://]evil[.]example', 'https://evil.example'],
    ['203[.]0[.]113[.]7', '203.0.113.7'],
    ['hr[@]evil-mail[.]example', 'hr@evil-mail.example'],
    ['hr[at]evil-mail[.]example', 'hr@evil-mail.example'],
    ['  plain.example  ', 'plain.example'],
  ])('%s → %s', (raw, expected) => {
    expect(refang(raw)).toBe(expected);
  });
});

describe('parseIndicator', () => {
  test.each([
    ['Evil.Example', 'domain', 'evil.example'],
    ['evil.example.', 'domain', 'evil.example'],
    ['hxxp://Update.Evil-CDN[.]example:8080/gate.php?id=1', 'domain', 'update.evil-cdn.example'],
    ['https://user:pw@evil.example/x', 'domain', 'evil.example'],
    ['203.0.113.7', 'ip', '203.0.113.7'],
    ['203.000.113.007', 'ip', '203.0.113.7'],
    ['203.0.113.7:443', 'ip', '203.0.113.7'],
    ['http://203.0.113.7/beacon', 'ip', '203.0.113.7'],
    ['999.0.113.7', 'other', '999.0.113.7'],
    [
      'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855',
      'hash',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ],
    ['d41d8cd98f00b204e9800998ecf8427e', 'hash', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['HR@Evil-Mail[.]example', 'email', 'hr@evil-mail.example'],
    ['powershell -enc AAAA', 'other', 'powershell -enc aaaa'],
  ])('%s is %s %s', (raw, kind, value) => {
    expect(parseIndicator(raw)).toEqual({ kind, value });
  });
});

describe('indicatorMatches (expected, reported)', () => {
  test.each([
    ['evil.example', 'EVIL[.]example', true],
    ['evil.example', 'hxxp://evil[.]example/payload.zip', true],
    ['evil.example', 'www.evil.example', true],
    ['evil.example', 'notevil.example', false],
    ['www.evil.example', 'evil.example', false],
    ['evil.example', 'evil.example.com', false],
    ['evil-mail.example', 'hr@evil-mail.example', true],
    ['hr@evil-mail.example', 'evil-mail.example', false],
    ['hr@evil-mail.example', 'HR@evil-mail[.]example', true],
    ['203.0.113.7', '203[.]0[.]113[.]7', true],
    ['203.0.113.7', '203.0.113.70', false],
    ['203.0.113.7', 'evil.example', false],
    ['d41d8cd98f00b204e9800998ecf8427e', 'D41D8CD98F00B204E9800998ECF8427E', true],
    ['d41d8cd98f00b204e9800998ecf8427e', 'd41d8cd98f00b204e9800998ecf8427f', false],
  ])('%s ← %s: %s', (expected, reported, result) => {
    expect(indicatorMatches(parseIndicator(expected), parseIndicator(reported))).toBe(result);
  });
});

describe('techniques', () => {
  test.each([
    ['T1566.001', 'T1566.001', true],
    ['T1566.001', 't1566.001', true],
    ['T1566.001', 'T1566/001', true],
    ['T1566.001', 'T1566', true],
    ['T1566', 'T1566.002', true],
    ['T1566.001', 'T1566.002', false],
    ['T1566.001', 'T1071.001', false],
    ['T1566.001', 'T1566.001 Spearphishing Attachment', true],
    ['T1566.001', 'phishing', false],
  ])('expected %s, reported %s: %s', (expected, reported, result) => {
    const e = parseTechnique(expected)!;
    const r = parseTechnique(reported);
    expect(r !== undefined && techniqueMatches(e, r)).toBe(result);
  });
});
