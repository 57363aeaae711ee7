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
/**
 * Hands a mail to Postfix once per key, with the claim, the hand-over and the key's marker in ONE
 * process inside the container: an orchestrator killed mid-call does not stop an exec that already
 * runs, so the marker is written whatever happens to the caller. A replay finds the marker (done)
 * or the claim of a hand-over still running, and waits for its marker instead of sending again —
 * exactly once, where a marker written by the caller after `sendmail` returned was at-least-once.
 */
export function sendMailOnce(
  file: string,
  from: string,
  to: string,
  marker: string,
  record: string,
): string[] {
  const script = [
    '[ -s "$4" ] && { rm -f "$1"; exit 0; }',
    'if mkdir "$4.claim" 2>/dev/null; then',
    '  /usr/sbin/sendmail -i -f "$2" -- "$3" <"$1" || { rmdir "$4.claim"; exit 75; }',
    '  printf %s "$5" >"$4.tmp" && mv "$4.tmp" "$4" && rm -f "$1"; exit 0',
    'fi',
    // Bounded: 15 s (inside the driver's 20 s exec deadline) for the other hand-over, then a clear
    // failure — never a second send.
    'i=0; while [ "$i" -lt 150 ]; do [ -s "$4" ] && exit 0; sleep 0.1; i=$((i+1)); done',
    'echo "this mail is being delivered by an earlier call that has not finished in 15 s" >&2; exit 75',
  ].join('\n');
  return ['sh', '-c', script, 'deliver', file, from, to, marker, record];
}
