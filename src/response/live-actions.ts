/**
 * Response actions on live containers, through the engine's `LiveHostDriver` (the Docker range's
 * `DockerHostDriver` in `serve --live`). Every command is a fixed script run by `sh -c` with the
 * action's targets as positional arguments — never spliced into the script — and is idempotent:
 * isolating twice leaves one rule, unblocking what is not blocked is fine.
 *
 * | action | where | what |
 * | --- | --- | --- |
 * | isolate / release | the team's firewall | `iptables -I FORWARD -s IP -j DROP` and `-d IP` (comment `cyrange-isolate`) / `-D` |
 * | firewall block / unblock | the team's firewall | `iptables -I FORWARD -d IP -j REJECT` (comment `cyrange-block`) / `-D` |
 * | proxy block / unblock | the team's proxy | domain added to `/etc/squid/cyrange-blocked` (a `dstdomain` ACL denied before any allow), `squid -k reconfigure` |
 * | account disable / enable / reset | every live host of the team that has the account | `usermod -L` + `passwd -l` / `usermod -U` + `passwd -u` / a random password and `chage -d 0` |
 * | process kill | the host | `kill -KILL` every process whose command line matches NAME (`pgrep -f`) |
 * | evidence | the host | `ps -eo pid,ppid,user,lstart,args`, `ls -la --full-time`, `sha256sum` |
 */
import type { HostPlan, Plan } from '../compiler/plan';
import type { LiveHostDriver } from '../engine/live/live-host-driver';
import type { ActionInput, ActionResult } from '../wire/actions';
import { hostWithRole, resolveHost, teamPlanOf } from './action-targets';

const TIMEOUT_MS = 20_000;
const OUTPUT_MAX = 16 * 1024;

const ISOLATE = `ip="$1"; verb="$2"
for dir in -s -d; do
  while iptables -C FORWARD $dir "$ip" -m comment --comment cyrange-isolate -j DROP 2>/dev/null; do
    iptables -D FORWARD $dir "$ip" -m comment --comment cyrange-isolate -j DROP || exit 1
  done
  if [ "$verb" = on ]; then iptables -I FORWARD 1 $dir "$ip" -m comment --comment cyrange-isolate -j DROP || exit 1; fi
done
iptables -S FORWARD | grep -c cyrange-isolate || true`;

const FW_BLOCK = `ip="$1"; verb="$2"
while iptables -C FORWARD -d "$ip" -m comment --comment cyrange-block -j REJECT 2>/dev/null; do
  iptables -D FORWARD -d "$ip" -m comment --comment cyrange-block -j REJECT || exit 1
done
if [ "$verb" = on ]; then iptables -I FORWARD 1 -d "$ip" -m comment --comment cyrange-block -j REJECT || exit 1; fi
iptables -S FORWARD | grep -c cyrange-block || true`;

const SQUID_BLOCK = `domain="$1"; verb="$2"; list=/etc/squid/cyrange-blocked; conf=/etc/squid/squid.conf
touch "$list"
if ! grep -q cyrange_blocked "$conf"; then
  sed -i '1i acl cyrange_blocked dstdomain "/etc/squid/cyrange-blocked"\\nhttp_access deny cyrange_blocked' "$conf" || exit 1
fi
grep -vxF ".$domain" "$list" > "$list.new" || true
if [ "$verb" = on ]; then echo ".$domain" >> "$list.new"; fi
mv "$list.new" "$list"
squid -k reconfigure -f "$conf" || exit 1
cat "$list"`;

const ACCOUNT = `acct="$1"; verb="$2"
id -u "$acct" >/dev/null 2>&1 || { echo "no account $acct here"; exit 0; }
case "$verb" in
  disable) usermod -L "$acct" && passwd -l "$acct" >/dev/null 2>&1; pkill -KILL -u "$acct" 2>/dev/null; echo "locked $acct" ;;
  enable) usermod -U "$acct" && passwd -u "$acct" >/dev/null 2>&1; echo "unlocked $acct" ;;
  reset) pw=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \\n'); echo "$acct:$pw" | chpasswd && chage -d 0 "$acct"; echo "reset $acct (must change at next logon)" ;;
esac`;

// pgrep, not pkill: this command's own wrappers (the exec's `timeout`, this shell) carry the name
// in their command lines and must survive — they all carry the marker `cyrange-action` too.
const KILL = `n=0
for p in $(pgrep -f -- "$1"); do
  tr '\\0' ' ' < /proc/$p/cmdline 2>/dev/null | grep -q cyrange-action && continue
  if kill -KILL "$p" 2>/dev/null; then n=$((n+1)); fi
done
echo "killed $n process(es) matching $1"
[ "$n" -gt 0 ]`;

export class LiveActions {
  constructor(
    private readonly driver: LiveHostDriver,
    private readonly plan: Plan,
  ) {}

  /** Whether the action acts on a live container (else the simulation obeys it). */
  isLive(team: string, input: ActionInput): boolean {
    return this.hostsFor(team, input).length > 0;
  }

  /** The live hosts the action runs on. */
  private hostsFor(team: string, input: ActionInput): HostPlan[] {
    const live = (h: HostPlan | undefined) => (h && h.fidelity === 'live' ? [h] : []);
    switch (input.action) {
      case 'host.isolate':
      case 'host.release':
      case 'firewall.block':
      case 'firewall.unblock':
        return live(hostWithRole(this.plan, team, 'firewall'));
      case 'proxy.block':
      case 'proxy.unblock':
        return live(hostWithRole(this.plan, team, 'proxy'));
      case 'account.disable':
      case 'account.enable':
      case 'account.reset':
        return teamPlanOf(this.plan, team).hosts.filter(
          (h) => h.fidelity === 'live' && h.role !== 'c2' && h.role !== 'firewall',
        );
      default:
        return live(resolveHost(this.plan, team, input.host));
    }
  }

  async run(team: string, input: ActionInput, key: string): Promise<ActionResult> {
    const hosts = this.hostsFor(team, input);
    const outputs: string[] = [];
    for (const [i, host] of hosts.entries()) {
      const argv = this.command(team, input);
      if (!argv) {
        return {
          ok: false,
          changed: `${input.action} is not available on live hosts yet — ask the white cell (\`cyrange up\` recreates a container from its image)`,
          fidelity: 'live',
        };
      }
      const r = await this.driver.exec({ team, host: host.name }, argv, {
        key: `${key}/${i}`,
        user: 'root',
        timeoutMs: TIMEOUT_MS,
      });
      const out = (r.stdout + (r.stderr ? `\n${r.stderr}` : '')).trim();
      outputs.push(hosts.length > 1 ? `${host.name}: ${out}` : out);
      if (r.exitCode !== 0) {
        return {
          ok: false,
          changed: `${input.action} failed on ${host.name} (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''})`,
          output: cut(outputs.join('\n')),
          fidelity: 'live',
        };
      }
    }
    return {
      ok: true,
      changed: describeLive(input, hosts),
      output: cut(outputs.join('\n')),
      fidelity: 'live',
    };
  }

  private command(team: string, input: ActionInput): string[] | undefined {
    const sh = (script: string, ...args: string[]) => ['sh', '-c', script, 'cyrange-action', ...args];
    switch (input.action) {
      case 'host.isolate':
      case 'host.release':
        return sh(
          ISOLATE,
          resolveHost(this.plan, team, input.host).ip,
          input.action === 'host.isolate' ? 'on' : 'off',
        );
      case 'firewall.block':
      case 'firewall.unblock':
        return sh(FW_BLOCK, input.ip, input.action === 'firewall.block' ? 'on' : 'off');
      case 'proxy.block':
      case 'proxy.unblock':
        return sh(SQUID_BLOCK, input.domain, input.action === 'proxy.block' ? 'on' : 'off');
      case 'account.disable':
        return sh(ACCOUNT, input.account, 'disable');
      case 'account.enable':
        return sh(ACCOUNT, input.account, 'enable');
      case 'account.reset':
        return sh(ACCOUNT, input.account, 'reset');
      case 'process.kill':
        return sh(KILL, input.process);
      case 'evidence.collect':
        if (input.kind === 'processes') return ['ps', '-eo', 'pid,ppid,user,lstart,args'];
        if (input.kind === 'files') return ['ls', '-la', '--full-time', '--', input.path!];
        return ['sha256sum', '--', input.path!];
      case 'host.restore':
        return undefined;
    }
  }
}

function describeLive(input: ActionInput, hosts: HostPlan[]): string {
  const on = hosts.map((h) => h.name).join(', ');
  switch (input.action) {
    case 'host.isolate':
      return `firewall ${on} drops all forwarded traffic from and to ${input.host}`;
    case 'host.release':
      return `firewall ${on} forwards ${input.host}'s traffic again`;
    case 'firewall.block':
      return `firewall ${on} rejects traffic to ${input.ip}`;
    case 'firewall.unblock':
      return `firewall ${on} no longer rejects traffic to ${input.ip}`;
    case 'proxy.block':
      return `proxy ${on} denies ${input.domain} and its subdomains (TCP_DENIED/403)`;
    case 'proxy.unblock':
      return `proxy ${on} allows ${input.domain} again`;
    case 'account.disable':
      return `account ${input.account} locked on ${on}`;
    case 'account.enable':
      return `account ${input.account} unlocked on ${on}`;
    case 'account.reset':
      return `password of ${input.account} reset on ${on}`;
    case 'process.kill':
      return `killed ${input.process} on ${input.host}`;
    case 'evidence.collect':
      return `collected ${input.kind} from ${input.host}`;
    case 'host.restore':
      return `restored ${input.host}`;
  }
}

function cut(s: string): string {
  return s.length > OUTPUT_MAX ? `${s.slice(0, OUTPUT_MAX)}\n… (cut at ${OUTPUT_MAX} bytes)` : s;
}
