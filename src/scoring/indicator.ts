/**
 * Indicators of compromise as teams write them: defanged (`evil[.]example`, `hxxp://`), in URLs,
 * with ports, in any case. Each is reduced to one canonical form so a report and the ground truth
 * can be compared without punishing notation.
 */

export type IndicatorKind = 'ip' | 'domain' | 'email' | 'hash' | 'other';

export interface Indicator {
  kind: IndicatorKind;
  /** Canonical value: lowercase, refanged, without scheme, path or port. */
  value: string;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HASH = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const EMAIL = /^[^@\s]+@([^@\s]+)$/;

/** Undo the usual defanging: `[.]`, `(.)`, `{.}`, `[dot]`, `[@]`, `[at]`, `[:]`, `hxxp`, `fxp`. */
export function refang(text: string): string {
  return text
    .trim()
    .replace(/\s*[[({]\s*(?:\.|dot)\s*[\])}]\s*/gi, '.')
    .replace(/\s*[[({]\s*(?:@|at)\s*[\])}]\s*/gi, '@')
    .replace(/[[({]\s*:\s*[\])}]/g, ':')
    .replace(/^h(?:xx|\*\*|XX)p(s?)(?=[:[])/i, 'http$1')
    .replace(/^fxp(?=[:[])/i, 'ftp')
    .replace(/\[:\/\/\]/g, '://');
}

/** Host part of a URL-ish string: drops scheme, credentials, path, query and port. */
function hostOf(text: string): string {
  let rest = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  rest = rest.split(/[/?#]/)[0] ?? '';
  rest = rest.replace(/^[^@]*@/, '');
  if (/^\[[0-9a-f:]+\](?::\d+)?$/i.test(rest)) return rest.replace(/^\[|\](?::\d+)?$/g, '');
  return rest.replace(/:\d+$/, '');
}

function canonicalIp(text: string): string | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.join('.');
}

/** Parse one indicator as written in a report or a scenario. */
export function parseIndicator(raw: string): Indicator {
  const text = refang(raw).toLowerCase().replace(/\.$/, '');
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//.test(text);
  if (!hasScheme) {
    const email = EMAIL.exec(text);
    if (email && DOMAIN.test(email[1]!)) return { kind: 'email', value: text };
    if (HASH.test(text)) return { kind: 'hash', value: text };
  }
  const host = hostOf(text).replace(/\.$/, '');
  const ip = canonicalIp(host);
  if (ip) return { kind: 'ip', value: ip };
  if (DOMAIN.test(host)) return { kind: 'domain', value: host };
  return { kind: 'other', value: text.replace(/\s+/g, ' ') };
}

/** `www.evil.example` is within `evil.example`; `evil.example` is not within `www.evil.example`. */
export function isWithinDomain(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

/**
 * Does a reported indicator name the expected one? Same kind and value; a more specific domain
 * (a subdomain) of an expected domain counts, and so does an e-mail address at that domain.
 */
export function indicatorMatches(expected: Indicator, reported: Indicator): boolean {
  if (expected.kind === 'domain') {
    if (reported.kind === 'domain') return isWithinDomain(reported.value, expected.value);
    if (reported.kind === 'email') return isWithinDomain(reported.value.split('@')[1]!, expected.value);
    return false;
  }
  return expected.kind === reported.kind && expected.value === reported.value;
}

/** Stable text of an indicator for breakdowns and de-duplication. */
export function indicatorKey(i: Indicator): string {
  return `${i.kind}:${i.value}`;
}
