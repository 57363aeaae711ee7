/**
 * The shell snippets the Docker host driver runs inside range containers. Values always travel as
 * positional arguments (`sh -c SCRIPT NAME ARG…`), never spliced into the script, so no quoting of
 * URLs, paths or user names can break out.
 */
import { DRIVER_DIR } from './key-journal';

/** POSIX-ish account names; anything else is refused before it reaches a container. */
const ACCOUNT = /^[a-z_][a-z0-9_.-]{0,31}$/i;

export function isRoot(user: string): boolean {
  return user === '' || user === 'root' || user === '0';
}

export function checkAccount(user: string): string {
  if (!ACCOUNT.test(user)) throw new Error(`"${user}" is not an account name — use letters, digits, . _ -`);
  return user;
}

/** Creates the account (with a home) when the container lacks it, as a provisioned PC would have it. */
export function ensureAccount(user: string): string[] {
  return [
    'sh',
    '-c',
    'id -u "$1" >/dev/null 2>&1 || useradd -m -s /bin/sh "$1"',
    'account',
    checkAccount(user),
  ];
}

/** Prefix that drops from root to `user` (the exec itself runs as root so it can also drop route caps). */
export function asUser(user: string): string[] {
  if (isRoot(user)) return [];
  const name = checkAccount(user);
  return ['setpriv', `--reuid=${name}`, `--regid=${name}`, '--init-groups', '--reset-env', '--'];
}

export function pidFile(digest: string): string {
  return `${DRIVER_DIR}/${digest}.pid`;
}

/**
 * Starts `argv` detached (own session, stdio on /dev/null, so the exec's stream ends at once),
 * recording its pid; exits 0 without starting anything when the pidfile names a live process.
 * Waits up to 2.5 s for the pidfile so a stop right after a start finds it.
 */
export function startDetached(pid: string, argv: string[]): string[] {
  const script = [
    'p="$1"; shift',
    `mkdir -p ${DRIVER_DIR}`,
    'if [ -s "$p" ] && kill -0 "$(cat "$p")" 2>/dev/null; then echo running; exit 0; fi',
    'rm -f "$p"',
    `setsid sh -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' "$p" "$@" </dev/null >/dev/null 2>&1 &`,
    'i=0; while [ ! -s "$p" ] && [ $i -lt 50 ]; do sleep 0.05; i=$((i+1)); done',
    '[ -s "$p" ] && echo started',
  ].join('\n');
  return ['sh', '-c', script, 'start', pid, ...argv];
}

/** Kills the process group a pidfile names (the loop and its children) and removes the pidfile. */
export function stopDetached(pid: string): string[] {
  const script = [
    'p="$1"',
    '[ -s "$p" ] || exit 0',
    'n="$(cat "$p")"',
    'kill -TERM -- "-$n" 2>/dev/null || kill -TERM "$n" 2>/dev/null',
    'i=0; while kill -0 "$n" 2>/dev/null && [ $i -lt 40 ]; do sleep 0.05; i=$((i+1)); done',
    'kill -KILL -- "-$n" 2>/dev/null',
    'rm -f "$p"',
  ].join('\n');
  return ['sh', '-c', script, 'stop', pid];
}

/**
 * A beacon as malware does it: an endless loop calling the C2 URL with curl, through the system
 * proxy (`http_proxy`) when the team has one, every `seconds`.
 */
export function beaconLoop(url: string, seconds: number, proxy: string | undefined): string[] {
  const loop = 'while :; do curl -s -o /dev/null -m 10 "$1"; sleep "$2"; done';
  return [
    'env',
    ...(proxy ? [`http_proxy=${proxy}`, `HTTP_PROXY=${proxy}`] : []),
    'sh',
    '-c',
    loop,
    'update-check',
    url,
    seconds.toFixed(3),
  ];
}

/** Size and sha256 of a file, computed inside the container (nothing is copied out). */
export function hashFile(path: string): string[] {
  const script =
    '[ -f "$1" ] || { echo "no file $1" >&2; exit 2; }; stat -c %s "$1" && sha256sum "$1" | cut -d" " -f1';
  return ['sh', '-c', script, 'fetch', path];
}

/** Hands a message file to Postfix's `sendmail` (the envelope sender from the From header). */
export function sendMail(file: string, from: string, to: string): string[] {
  return ['sh', '-c', '/usr/sbin/sendmail -i -f "$2" -- "$3" <"$1" && rm -f "$1"', 'deliver', file, from, to];
}
