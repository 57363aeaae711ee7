/**
 * Probes of live containers: is a containment in place, and do the services answer? Every probe
 * runs a read-only command inside the range through the `LiveHostDriver`, under a deadline.
 *
 * | check | probe |
 * | --- | --- |
 * | isolated | the team firewall's `FORWARD` chain drops (or rejects) traffic from the host's address |
 * | beaconStopped | the C2's `beacons.log` gets no new line forwarded for the host's address over a probe window |
 * | blocked | the proxy's `cyrange-blocked` list holds the domain or a parent (or the firewall rejects the address) |
 * | accountDisabled | `passwd -S` says `L` on the account's workstation |
 * | processKilled | `pgrep -f` finds no such process on the host |
 * | service | a TCP connection to the service's port (`nc -z`), or a DNS query over UDP, from a live workstation in another segment, through the firewall |
 */
import type { ContainmentCheck, HostPlan, Plan } from '../compiler/plan';
import type { LiveHostDriver } from '../engine/live/live-host-driver';
import { hostWithRole, teamPlanOf } from './action-targets';
import type { Verdict } from './containment-verdict';

const PROBE_MS = 10_000;

/** Ports of the services the availability checks probe, by host role. */
export const SERVICE_PORTS: Record<string, { service: string; port: number }> = {
  proxy: { service: 'proxy', port: 3128 },
  dns: { service: 'dns', port: 53 },
  mail: { service: 'smtp', port: 25 },
  web: { service: 'http', port: 80 },
  'file-server': { service: 'smb', port: 445 },
};

/** A DNS query for the root's NS records (any answer, even REFUSED, means the server answers). */
const DNS_QUERY = String.raw`\022\064\001\000\000\001\000\000\000\000\000\000\000\000\002\000\001`;

/** TCP services answer a connection; DNS (UDP, what the clients use) answers a query. */
function probeCommand(service: string, ip: string, port: number): string[] {
  if (service === 'dns') {
    return [
      'sh',
      '-c',
      `[ "$(printf '${DNS_QUERY}' | nc -u -w 2 "$1" "$2" | head -c 12 | wc -c)" -gt 0 ]`,
      'cyrange-probe',
      ip,
      String(port),
    ];
  }
  return ['nc', '-z', '-w', '5', ip, String(port)];
}

export class LiveProbes {
  private readonly beaconCounts = new Map<string, { count: number; at: number }>();
  private seq = 0;

  constructor(
    private readonly driver: LiveHostDriver,
    private readonly plan: Plan,
    private readonly session: string,
    /** Wall ms a beacon count must stay unchanged to call the beacon stopped. */
    private readonly beaconWindowMs: number,
    private readonly wallNow: () => number,
  ) {}

  private host(team: string, name: string): HostPlan | undefined {
    return teamPlanOf(this.plan, team).hosts.find((h) => h.name.toLowerCase() === name.toLowerCase());
  }

  private async run(team: string, host: HostPlan, argv: string[]): Promise<{ code: number; out: string }> {
    const r = await this.driver.exec({ team, host: host.name }, argv, {
      key: `${this.session}/${team}/probe/${host.name}/${this.wallNow()}-${++this.seq}`,
      user: 'root',
      timeoutMs: PROBE_MS,
    });
    return { code: r.exitCode, out: r.stdout };
  }

  /** Undefined when the check cannot be probed live (its hosts are simulated): the fold decides. */
  async containment(team: string, check: ContainmentCheck): Promise<Verdict | undefined> {
    const fw = hostWithRole(this.plan, team, 'firewall');
    const live = (h: HostPlan | undefined): h is HostPlan => h !== undefined && h.fidelity === 'live';
    if ('isolated' in check) {
      const target = this.host(team, check.isolated);
      if (!target || !live(fw)) return undefined;
      const r = await this.run(team, fw, ['iptables', '-S', 'FORWARD']);
      const ip = target.ip.replace(/\./g, '\\.');
      const ok = new RegExp(`^-A FORWARD -s ${ip}(/32)? .*-j (DROP|REJECT)`, 'm').test(r.out);
      return {
        ok,
        detail: `firewall ${fw.name} ${ok ? 'drops' : 'forwards'} traffic from ${target.name} (${target.ip})`,
      };
    }
    if ('beaconStopped' in check) {
      const target = this.host(team, check.beaconStopped);
      const c2 = hostWithRole(this.plan, team, 'c2');
      if (!target || !live(c2) || target.fidelity !== 'live') return undefined;
      const r = await this.run(team, c2, [
        'grep',
        '-c',
        '-F',
        `"forwarded": "${target.ip}`,
        '/var/log/c2/beacons.log',
      ]);
      const count = Number.parseInt(r.out.trim(), 10) || 0;
      const key = `${team}/${target.name}`;
      const seen = this.beaconCounts.get(key);
      const now = this.wallNow();
      if (!seen || seen.count !== count) {
        this.beaconCounts.set(key, { count, at: now });
        return { ok: false, detail: `the C2 has ${count} beacons from ${target.name}; watching` };
      }
      const quiet = now - seen.at;
      const ok = quiet >= this.beaconWindowMs;
      return {
        ok,
        detail: `no new beacon from ${target.name} (${target.ip}) in the C2's log for ${Math.round(quiet / 1000)} s (${count} before)`,
      };
    }
    if ('blocked' in check) {
      const proxy = hostWithRole(this.plan, team, 'proxy');
      if (!live(proxy)) return undefined;
      const r = await this.run(team, proxy, ['sh', '-c', 'cat /etc/squid/cyrange-blocked 2>/dev/null; true']);
      const listed = r.out
        .split('\n')
        .map((l) => l.trim().replace(/^\./, '').toLowerCase())
        .filter(Boolean);
      const name = check.blocked.toLowerCase();
      const ok = listed.some((d) => name === d || name.endsWith(`.${d}`));
      return { ok, detail: `proxy ${proxy.name} ${ok ? 'denies' : 'allows'} ${check.blocked}` };
    }
    if ('accountDisabled' in check) {
      const user = this.plan.users.find(
        (u) => u.account === check.accountDisabled || u.id === check.accountDisabled,
      );
      const target = user?.host ? this.host(team, user.host) : undefined;
      if (!user || !live(target)) return undefined;
      const r = await this.run(team, target, ['passwd', '-S', user.account]);
      const ok = /^\S+\s+L\b/.test(r.out.trim());
      return {
        ok,
        detail: `account ${user.account} ${ok ? 'is locked' : 'is not locked'} on ${target.name}`,
      };
    }
    const target = this.host(team, check.processKilled.host);
    if (!live(target)) return undefined;
    // Counts matches except this probe's own wrappers (their command lines carry the marker).
    const r = await this.run(team, target, [
      'sh',
      '-c',
      `n=0; for p in $(pgrep -f -- "$1"); do tr '\\0' ' ' < /proc/$p/cmdline 2>/dev/null | grep -q cyrange-probe || n=$((n+1)); done; echo $n`,
      'cyrange-probe',
      check.processKilled.name,
    ]);
    const ok = r.out.trim() === '0';
    return {
      ok,
      detail: `${check.processKilled.name} ${ok ? 'no longer runs' : 'still runs'} on ${target.name}`,
    };
  }

  /**
   * The live services of the team, probed at once, each from a live workstation in another segment
   * (through the firewall, as users reach it) that is not in `isolated`; else from the firewall.
   */
  async services(
    team: string,
    isolated: ReadonlySet<string> = new Set(),
  ): Promise<{ host: string; service: string; ok: boolean; detail: string }[]> {
    const hosts = teamPlanOf(this.plan, team).hosts.filter((h) => h.fidelity === 'live');
    const targets = hosts.filter((h) => SERVICE_PORTS[h.role] !== undefined);
    const checks = targets.map(async (target) => {
      const svc = SERVICE_PORTS[target.role]!;
      const prober =
        hosts.find(
          (h) =>
            h.role === 'workstation' && h.segment !== target.segment && !isolated.has(h.name.toLowerCase()),
        ) ?? hosts.find((h) => h.role === 'firewall');
      if (!prober) return undefined;
      try {
        const r = await this.run(team, prober, probeCommand(svc.service, target.ip, svc.port));
        return {
          host: target.name,
          service: svc.service,
          ok: r.code === 0,
          detail: `${svc.service} ${target.ip}:${svc.port} from ${prober.name}: ${r.code === 0 ? 'answers' : 'no answer'}`,
        };
      } catch (e) {
        return {
          host: target.name,
          service: svc.service,
          ok: false,
          detail: `probe failed: ${(e as Error).message}`,
        };
      }
    });
    return (await Promise.all(checks)).filter((c) => c !== undefined);
  }
}
