/**
 * A team's response action (`team.action` event) in the few shapes scoring cares about. Action
 * names are read tolerantly (`isolate`, `host.isolate`, `isolate-host` are the same) because the
 * engine's action vocabulary is not fixed yet.
 */

export type ResponseAction =
  | { kind: 'isolate'; host?: string; segment?: string; all: boolean }
  | { kind: 'release'; host: string }
  | { kind: 'block'; target: string }
  | { kind: 'disable-account'; account: string }
  | { kind: 'kill-process'; host: string; name: string }
  | { kind: 'other'; action: string };

function text(detail: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = detail[k];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}

export function responseAction(action: string, detail: Record<string, unknown>): ResponseAction {
  const words = action
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean);
  const has = (...w: string[]) => w.some((x) => words.includes(x));
  if (has('release', 'unisolate', 'reconnect') && text(detail, 'host')) {
    return { kind: 'release', host: text(detail, 'host')! };
  }
  if (has('isolate', 'quarantine', 'contain')) {
    const host = text(detail, 'host', 'target');
    const segment = text(detail, 'segment');
    return {
      kind: 'isolate',
      ...(host ? { host } : {}),
      ...(segment ? { segment } : {}),
      all: detail.all === true,
    };
  }
  if (has('block', 'deny', 'sinkhole')) {
    const target = text(detail, 'domain', 'ip', 'indicator', 'target', 'url');
    if (target) return { kind: 'block', target };
  }
  if (has('disable', 'lock', 'suspend') && has('account', 'user', 'lock', 'disable')) {
    const account = text(detail, 'account', 'user', 'target');
    if (account) return { kind: 'disable-account', account };
  }
  if (has('kill', 'terminate') && text(detail, 'host')) {
    const name = text(detail, 'name', 'process', 'target');
    if (name) return { kind: 'kill-process', host: text(detail, 'host')!, name };
  }
  return { kind: 'other', action };
}
