/**
 * Attacks from inside the range, on the real engine: two teams × every range image, each container
 * attacked as root through an exec — confined as a participant's shell is (route capabilities
 * dropped, except on the firewall) — and checked for: no route to any address of the engine's host
 * (every interface, docker0, each range bridge's reserved address) on any probed port, including a
 * real `cyrange serve` listening on 0.0.0.0 that loopback reaches; no route to the other team; nothing
 * outside (no DNS of outside names, no TCP to TEST-NET); no engine socket; exactly the documented
 * capabilities; and every escalation attempt failing except what the role's capabilities grant.
 * Needs the range images (`node bin/cyrange.js images build`).
 */
import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostic } from '../../src/common/diagnostic';
import { compile } from '../../src/compiler/compile';
import type { HostPlan, Plan } from '../../src/compiler/plan';
import type { Clients } from '../../src/range/docker/clients';
import { CAPS_FOR_IMAGE, IMAGE_FOR_ROLE, ROUTE_CAPS } from '../../src/range/images/image-catalog';
import { LABEL } from '../../src/range/labels';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { rangeUp } from '../../src/range/lifecycle/range-up';
import { loadScenarioFile } from '../../src/scenario/load';
import { dockerTerminalBackend } from '../../src/server/terminal/terminal-backend';
import type { TerminalView } from '../../src/wire/terminal';
import { engineClients, exerciseId } from '../range/support/live-range';
import { requireImages } from '../range-driver/support/driver-range';
import type { ClientSocket } from '../server/support/harness';
import { type SecurityServer, startSecurityServer } from './support/security-server';
import { type ServeProcess, startServe } from './support/serve-process';

jest.setTimeout(120_000);

const exercise = exerciseId('esc');
let clients: Clients;
let plan: Plan;
let serve: ServeProcess;
/** IPv4 addresses of the engine's host (every interface but loopback). */
let hostAddresses: string[] = [];
/** The engine's gateway address of each range bridge (reserved; the engine host holds none). */
let bridgeAddresses: string[] = [];

function compileFixture(): Plan {
  const result = loadScenarioFile(join(__dirname, 'fixtures', 'escape-range.yaml'));
  if (!result.scenario) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return compile(result.scenario, { parameters: result.parameters });
}

const name = (team: string, host: string) => `${exercise}-${team}-${host}`;
const liveHosts = (team: string): HostPlan[] =>
  plan.teams.find((t) => t.id === team)!.hosts.filter((h) => h.fidelity === 'live');
const confined = (h: HostPlan) => h.role !== 'firewall';

/** Runs a shell script as root in the container, confined as a participant's shell is. */
async function sh(team: string, host: HostPlan, script: string, args: string[] = [], timeoutSec = 20) {
  return clients.exec.run(name(team, host.name), ['sh', '-c', script, 'probe', ...args], {
    timeoutSec,
    dropRouteCaps: confined(host),
  });
}

/**
 * TCP connects to every `ip:port` argument, 40 at a time (1 s each; 80 processes, well inside the pids limit),
 * and says `open` or `closed` for each: a probe that could not even run leaves a target unreported.
 */
const PROBE = `printf '%s\\n' "$@" | xargs -P 40 -I{} sh -c 'if nc -z -w 1 "\${1%:*}" "\${1##*:}" 2>/dev/null; then echo "open $1"; else echo "closed $1"; fi' _ {}`;

async function openOf(team: string, host: HostPlan, targets: string[]): Promise<string[]> {
  const r = await sh(team, host, PROBE, targets, 60);
  const lines = r.stdout.split('\n').filter((l) => /^(open|closed) /.test(l));
  const reported = lines.map((l) => l.split(' ')[1]).sort();
  if (JSON.stringify(reported) !== JSON.stringify([...targets].sort()))
    throw new Error(
      `${team}/${host.name}: probe reported ${reported.length} of ${targets.length}: ${r.stderr}`,
    );
  return lines
    .filter((l) => l.startsWith('open '))
    .map((l) => l.slice(5))
    .sort();
}

/** Runs `f` for every host at once and gathers the answers by host name. */
async function perHost<T>(hosts: HostPlan[], f: (h: HostPlan) => Promise<T>): Promise<Record<string, T>> {
  const answers = await Promise.all(hosts.map(async (h) => [h.name, await f(h)] as const));
  return Object.fromEntries(answers);
}

beforeAll(async () => {
  clients = await engineClients();
  plan = compileFixture();
  await requireImages(clients, plan);
  serve = await startServe(['--host', '0.0.0.0']);
  const up = await rangeUp(clients, plan, { exercise });
  expect(up.failed).toEqual([]);
  hostAddresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.address.startsWith('127.'))
    .map((a) => a!.address);
  const networks = await clients.networks.list({ label: [`${LABEL.exercise}=${exercise}`] });
  // The engine's gateway of each network: the plan reserves it for the bridge, and with
  // inhibit_ipv4 the engine host does not hold it — nobody should answer there.
  bridgeAddresses = networks.map((n) => n.IPAM!.Config![0]!.Gateway!);
  const taken = new Set(
    plan.teams.flatMap((t) => t.hosts.flatMap((h) => [h.ip, ...h.interfaces.map((i) => i.ip)])),
  );
  expect(bridgeAddresses.filter((a) => !a || taken.has(a))).toEqual([]);
}, 300_000);

afterAll(async () => {
  await serve?.close();
  if (clients) await rangeDown(clients, exercise);
}, 120_000);

describe('the setup proves what the probes mean', () => {
  test('18 live hosts of 9 images run; serve listens on 0.0.0.0 and the host reaches it on every address', async () => {
    expect(new Set(liveHosts('t01').map((h) => IMAGE_FOR_ROLE[h.role])).size).toBe(9);
    const running = await clients.containers.list({ label: [`${LABEL.exercise}=${exercise}`] });
    expect(running).toHaveLength(18);
    expect(hostAddresses.length).toBeGreaterThan(0);
    // Only addresses still there: other suites' bridges come and go while this one runs.
    const now = new Set(
      Object.values(networkInterfaces())
        .flat()
        .map((a) => a?.address),
    );
    for (const address of ['127.0.0.1', ...hostAddresses.filter((a) => now.has(a))]) {
      const r = await fetch(`http://${address}:${serve.port}/api/health`);
      expect({ address, status: r.status }).toEqual({ address, status: 200 });
    }
  });

  test('the probe finds open ports (a probe that always says "closed" would prove nothing)', async () => {
    const pc = liveHosts('t01').find((h) => h.name === 'pc-01')!;
    const ip = (n: string) => liveHosts('t01').find((h) => h.name === n)!.ip;
    expect(await openOf('t01', pc, [`${ip('web')}:80`, `${ip('proxy')}:3128`, `${ip('mail')}:25`])).toEqual(
      [`${ip('mail')}:25`, `${ip('proxy')}:3128`, `${ip('web')}:80`].sort(),
    );
  });
});

describe.each(['t01', 't02'])('from every container of %s', (team) => {
  const other = team === 't01' ? 't02' : 't01';

  test('no TCP to the engine host, its API port, the engine, the other team or outside', async () => {
    const ports = [serve.port, 22, 80, 443, 2375, 2376];
    const targets = [
      ...[...hostAddresses, ...bridgeAddresses].flatMap((a) => ports.map((p) => `${a}:${p}`)),
      ...liveHosts(other).flatMap((h) => [80, 25, 445, 3128, 514, 53].map((p) => `${h.ip}:${p}`)),
      // TEST-NET-2 and -3: documentation ranges, answered nowhere, so a hole leaks nothing.
      '198.51.100.1:80',
      '198.51.100.1:443',
      '203.0.113.1:80',
      '203.0.113.1:443',
    ];
    const opened = await perHost(liveHosts(team), (h) => openOf(team, h, targets));
    expect(opened).toEqual(Object.fromEntries(liveHosts(team).map((h) => [h.name, []])));
  });

  test('routes: every host routes out only via its team firewall, and the firewall has no default route', async () => {
    const team_ = plan.teams.find((t) => t.id === team)!;
    const gateway = (h: HostPlan) => team_.segments.find((sg) => sg.id === h.segment)!.gateway;
    const routes = await perHost(liveHosts(team), async (h) =>
      (await sh(team, h, 'ip -4 route show default')).stdout.trim().replace(/\s+/g, ' '),
    );
    expect(routes).toEqual(
      Object.fromEntries(
        liveHosts(team).map((h) => [h.name, confined(h) ? `default via ${gateway(h)} dev eth0` : '']),
      ),
    );
  });

  test('even the firewall, which may change its own routes, reaches nothing of the host', async () => {
    const fw = liveHosts(team).find((h) => h.role === 'firewall')!;
    const mine = bridgeAddresses.filter((a) => fw.interfaces.some((i) => sameSlash24(a, i.ip)));
    const targets = [...hostAddresses, ...bridgeAddresses].map((a) => `${a}:${serve.port}`);
    const results: Record<string, string[]> = {};
    for (const via of mine) {
      const set = await sh(team, fw, `ip route replace default via ${via}`);
      expect({ via, exit: set.exitCode, stderr: set.stderr }).toEqual({ via, exit: 0, stderr: '' });
      try {
        results[via] = await openOf(team, fw, targets);
      } finally {
        await sh(team, fw, 'ip route del default');
      }
    }
    expect(Object.keys(results).length).toBeGreaterThan(0);
    expect(results).toEqual(Object.fromEntries(mine.map((m) => [m, []])));
    const routes = await sh(team, fw, 'ip route show default');
    expect(routes.stdout.trim()).toBe('');
  });

  test('no DNS answer for an outside name the engine host resolves', async () => {
    const outside = 'deb.debian.org';
    const onHost = await lookup(outside).then(
      (r) => r.address,
      () => undefined,
    );
    const answers = await perHost(liveHosts(team), async (h) =>
      (await sh(team, h, `timeout 4 getent hosts ${outside} || echo unresolved`, [], 10)).stdout.trim(),
    );
    expect({ onHost: onHost !== undefined, answers }).toEqual({
      // Without the host resolving it the check would be vacuous: it must.
      onHost: true,
      answers: Object.fromEntries(liveHosts(team).map((h) => [h.name, 'unresolved'])),
    });
  });

  test('no engine socket anywhere in the file system', async () => {
    const found = await perHost(liveHosts(team), async (h) =>
      (
        await sh(
          team,
          h,
          'find / -xdev \\( -type s -o -name "*.sock" \\) 2>/dev/null | grep -E "docker|containerd|podman|dockershim" || true',
        )
      ).stdout.trim(),
    );
    expect(found).toEqual(Object.fromEntries(liveHosts(team).map((h) => [h.name, ''])));
  });

  test('capabilities are exactly the documented ones: the container (pid 1) and a participant shell', async () => {
    const seen: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const host of liveHosts(team)) {
      const role = CAPS_FOR_IMAGE[IMAGE_FOR_ROLE[host.role]];
      const container = new Set([...role, ...(confined(host) ? ROUTE_CAPS : [])]);
      const r = await sh(
        team,
        host,
        'grep -E "^(Cap(Eff|Bnd|Prm|Amb)|NoNewPrivs|Seccomp):" /proc/1/status /proc/self/status',
      );
      const field = (file: string, key: string) =>
        r.stdout.match(new RegExp(`^/proc/${file}/status:${key}:\\s*(\\S+)`, 'm'))?.[1] ?? 'missing';
      seen[host.name] = {
        init: { eff: capNames(field('1', 'CapEff')), bnd: capNames(field('1', 'CapBnd')) },
        shell: {
          eff: capNames(field('self', 'CapEff')),
          bnd: capNames(field('self', 'CapBnd')),
          amb: capNames(field('self', 'CapAmb')),
          noNewPrivs: field('self', 'NoNewPrivs'),
          seccomp: field('self', 'Seccomp'),
        },
      };
      expected[host.name] = {
        init: { eff: [...container].sort(), bnd: [...container].sort() },
        shell: { eff: [...role].sort(), bnd: [...role].sort(), amb: [], noNewPrivs: '1', seccomp: '2' },
      };
    }
    expect(seen).toEqual(expected);
  });

  test('escalation attempts fail, except what the role is granted', async () => {
    const seen = await perHost(liveHosts(team), async (h) =>
      (await sh(team, h, ESCALATIONS, [], 40)).stdout
        .split('\n')
        .filter((l) => /^(held|refused) /.test(l))
        .sort(),
    );
    const expected: Record<string, string[]> = {};
    for (const host of liveHosts(team)) {
      const caps = new Set(CAPS_FOR_IMAGE[IMAGE_FOR_ROLE[host.role]]);
      const held = (a: (typeof ATTEMPTS)[number]) =>
        a.grantedBy.some((c) => caps.has(c)) || (a.unconfined === true && !confined(host));
      expected[host.name] = ATTEMPTS.map((a) => `${held(a) ? 'held' : 'refused'} ${a.name}`).sort();
    }
    expect(seen).toEqual(expected);
  });

  test('setuid programs gain nothing under no-new-privileges (roles that can switch users)', async () => {
    const seen: Record<string, string> = {};
    for (const host of liveHosts(team).filter((h) =>
      new Set(CAPS_FOR_IMAGE[IMAGE_FOR_ROLE[h.role]]).has('SETUID'),
    )) {
      const r = await sh(
        team,
        host,
        'cp /bin/cat /tmp/suidcat && chmod 4755 /tmp/suidcat && ' +
          'setpriv --reuid=65534 --regid=65534 --clear-groups /tmp/suidcat /proc/self/status | grep -E "^Uid:"; rm -f /tmp/suidcat',
      );
      seen[host.name] = r.stdout.trim().split(/\s+/).slice(1).join(' ');
    }
    expect(Object.keys(seen).length).toBeGreaterThanOrEqual(5);
    // real, effective, saved, file-system uid: all nobody (without NNP the effective uid would be 0).
    expect(new Set(Object.values(seen))).toEqual(new Set(['65534 65534 65534 65534']));
  });
});

/**
 * Each escalation attempt, and the capabilities that would (legitimately) let it succeed.
 * `unconfined`: also succeeds in a shell that holds every capability of the container's init (the
 * firewall's, whose shell keeps NET_ADMIN): tracing a process no more privileged than oneself.
 */
const ATTEMPTS: { name: string; grantedBy: string[]; unconfined?: boolean; cmd: string }[] = [
  { name: 'mount-tmpfs', grantedBy: [], cmd: 'mount -t tmpfs none /mnt' },
  { name: 'mount-proc', grantedBy: [], cmd: 'mkdir -p /tmp/p && mount -t proc proc /tmp/p' },
  { name: 'remount-proc-sys-rw', grantedBy: [], cmd: 'mount -o remount,rw /proc/sys' },
  { name: 'unshare-user', grantedBy: [], cmd: 'unshare -U true' },
  { name: 'unshare-user-map-root', grantedBy: [], cmd: 'unshare -Ur true' },
  { name: 'unshare-net', grantedBy: [], cmd: 'unshare -n true' },
  { name: 'unshare-mount', grantedBy: [], cmd: 'unshare -m true' },
  { name: 'unshare-pid', grantedBy: [], cmd: 'unshare -p -f true' },
  { name: 'nsenter-pid1', grantedBy: [], cmd: 'nsenter -t 1 -m -u -n -p true' },
  { name: 'chroot', grantedBy: ['SYS_CHROOT'], cmd: 'chroot / true' },
  {
    name: 'ip-link-add',
    grantedBy: ['NET_ADMIN'],
    cmd: 'ip link add cyrtest0 type veth peer name cyrtest1 && ip link del cyrtest0',
  },
  {
    name: 'ip-route-add',
    grantedBy: ['NET_ADMIN'],
    cmd: 'ip route add 192.0.2.128/32 dev lo && ip route del 192.0.2.128/32 dev lo',
  },
  {
    name: 'raw-socket',
    grantedBy: ['NET_RAW'],
    cmd: `perl -MSocket -e 'socket(my $s, PF_INET, SOCK_RAW, 1) or exit 1'`,
  },
  {
    name: 'packet-socket',
    grantedBy: ['NET_RAW'],
    cmd: `perl -MSocket -e 'socket(my $s, 17, SOCK_RAW, 0) or exit 1'`,
  },
  { name: 'write-proc-sys', grantedBy: [], cmd: 'echo 1 > /proc/sys/net/ipv4/ip_forward' },
  { name: 'write-sysrq-trigger', grantedBy: [], cmd: 'echo h > /proc/sysrq-trigger' },
  { name: 'write-sys', grantedBy: [], cmd: 'echo 1 > /sys/kernel/mm/ksm/run' },
  // finit_module(2) and init_module(2) straight through syscall(2): no modprobe needed.
  {
    name: 'load-module',
    grantedBy: [],
    cmd: `perl -e 'exit(syscall(313, 0, "", 0) == -1 && $!{EPERM} ? 1 : 0)'`,
  },
  {
    name: 'init-module',
    grantedBy: [],
    cmd: `perl -e 'exit(syscall(175, 0, 0, "") == -1 && $!{EPERM} ? 1 : 0)'`,
  },
  { name: 'mknod-block', grantedBy: [], cmd: 'mknod /tmp/sda b 8 0' },
  { name: 'block-device-present', grantedBy: [], cmd: 'test -n "$(find /dev -type b 2>/dev/null)"' },
  { name: 'read-dev-mem', grantedBy: [], cmd: 'head -c1 /dev/mem >/dev/null' },
  { name: 'read-kmsg', grantedBy: [], cmd: 'head -c1 /dev/kmsg >/dev/null' },
  { name: 'read-kcore', grantedBy: [], cmd: 'head -c1 /proc/kcore >/dev/null' },
  // PTRACE_SEIZE (0x4206), which never stops the target even when it succeeds.
  {
    name: 'ptrace-pid1',
    grantedBy: [],
    unconfined: true,
    cmd: `perl -e 'exit(syscall(101, 0x4206, 1, 0, 0) == -1 ? 1 : 0)'`,
  },
  { name: 'iptables', grantedBy: ['NET_ADMIN'], cmd: 'iptables -n -L INPUT' },
  { name: 'set-time', grantedBy: [], cmd: 'date -s "2001-01-01" >/dev/null' },
  // The container's own memory limit (cgroup v1, then v2): the cgroup file systems are read-only.
  {
    name: 'cgroup-limit-write',
    grantedBy: [],
    // (/sys/fs/cgroup itself is a tmpfs the container may scribble on: that changes nothing.)
    cmd: 'if [ -d /sys/fs/cgroup/memory ]; then echo -1 > /sys/fs/cgroup/memory/memory.limit_in_bytes; else echo max > /sys/fs/cgroup/memory.max; fi',
  },
  {
    name: 'engine-socket',
    grantedBy: [],
    cmd: 'test -S /var/run/docker.sock || test -S /run/docker.sock || test -S /run/containerd/containerd.sock',
  },
];

const ESCALATIONS = ATTEMPTS.map(
  (a) => `if ( ${a.cmd} ) >/dev/null 2>&1; then echo "held ${a.name}"; else echo "refused ${a.name}"; fi`,
).join('\n');

/** Linux capability numbers (capability.h) for the names the range uses and the dangerous rest. */
const CAP_BITS: string[] = [
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_ADMIN',
  'NET_RAW',
  'IPC_LOCK',
  'IPC_OWNER',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_CHROOT',
  'SYS_PTRACE',
  'SYS_PACCT',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_NICE',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'MKNOD',
  'LEASE',
  'AUDIT_WRITE',
  'AUDIT_CONTROL',
  'SETFCAP',
  'MAC_OVERRIDE',
  'MAC_ADMIN',
  'SYSLOG',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'AUDIT_READ',
  'PERFMON',
  'BPF',
  'CHECKPOINT_RESTORE',
];

function capNames(hex: string): string[] {
  if (!/^[0-9a-f]+$/i.test(hex)) return [`unreadable:${hex}`];
  const mask = BigInt(`0x${hex}`);
  const names: string[] = [];
  for (let bit = 0; bit < 64; bit++)
    if (mask & (1n << BigInt(bit))) names.push(CAP_BITS[bit] ?? `CAP_${bit}`);
  return names.sort();
}

function sameSlash24(a: string, b: string): boolean {
  return a.split('.').slice(0, 3).join('.') === b.split('.').slice(0, 3).join('.');
}

describe('participant terminals on the live range', () => {
  let server: SecurityServer;
  beforeAll(async () => {
    server = await startSecurityServer({ plan, terminals: dockerTerminalBackend(clients, exercise, plan) });
  });
  afterAll(async () => {
    await server?.close();
  });

  const ack = <T>(sock: ClientSocket, event: string, payload: unknown) =>
    (sock.timeout(10_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<T> }).emitWithAck(
      event,
      payload,
    );

  async function shell(team: string) {
    const sock = await (await server.login('team', team)).socket();
    let text = '';
    const opened = await ack<{ ok: boolean; data: TerminalView }>(sock, 'terminal:open', {
      host: 'pc-01',
      cols: 120,
      rows: 30,
    });
    expect(opened).toMatchObject({ ok: true, data: { team, host: 'pc-01' } });
    sock.on('terminal:output', (o) => {
      if (o.id === opened.data.id) text += o.data;
    });
    const waitFor = async (re: RegExp) => {
      const end = Date.now() + 10_000;
      while (Date.now() < end && !re.test(text)) await new Promise((r) => setTimeout(r, 50));
      return text.match(re);
    };
    return { sock, id: opened.data.id, waitFor };
  }

  test("a shell lands in the own team's container, confined; B's shell is out of A's reach", async () => {
    const a = await shell('t01');
    const b = await shell('t02');
    try {
      a.sock.emit('terminal:input', {
        id: a.id,
        data: 'echo "TEAM=$CYRANGE_TEAM"; grep CapEff /proc/self/status\n',
      });
      expect((await a.waitFor(/TEAM=(t0\d)/))?.[1]).toBe('t01');
      const eff = (await a.waitFor(/CapEff:\s*([0-9a-f]+)/))?.[1] ?? 'none';
      expect(capNames(eff)).toEqual([...CAPS_FOR_IMAGE.workstation].sort());
      for (const [event, payload] of [
        ['terminal:attach', { id: b.id }],
        ['terminal:resize', { id: b.id, cols: 90, rows: 20 }],
        ['terminal:close', { id: b.id }],
      ] as const)
        expect({ event, answer: await ack(a.sock, event, payload) }).toEqual({
          event,
          answer: { ok: false, error: expect.objectContaining({ code: 'not_found' }) },
        });
      a.sock.emit('terminal:input', { id: b.id, data: 'touch /tmp/written-by-a\n' });
      // B's own input still reaches B's shell, so a missing file below is not a dead shell.
      b.sock.emit('terminal:input', { id: b.id, data: 'touch /tmp/written-by-b\n' });
      const pc = liveHosts('t02').find((h) => h.name === 'pc-01')!;
      let files = '';
      for (let i = 0; i < 40 && !files.includes('written-by-b'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        files = (await sh('t02', pc, 'ls /tmp')).stdout;
      }
      expect(files).toContain('written-by-b');
      expect(files).not.toContain('written-by-a');
    } finally {
      a.sock.disconnect();
      b.sock.disconnect();
    }
  });
});
