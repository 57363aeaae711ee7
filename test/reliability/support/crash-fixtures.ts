/**
 * Scenarios for the crash suites, written to the test's temp dir. Each live one has subnets no other
 * fixture uses (provisioning 10.231.0.0/16, injects 10.232.0.0/16 and 198.19.232.0/24), so these
 * suites run alongside the range, driver and terminal tests; a unique exercise id per run keeps
 * container names apart.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One team: a firewall, a web server and two workstations on two segments. */
export const PROVISIONING_YAML = `cyrange: 1
metadata: { id: crash-up, title: Crash during provisioning, duration: 1h }
organisation:
  name: Crash Test Office
  domain: crashup.example
  departments:
    - { id: staff, name: Staff, headcount: 2, segment: staff }
network:
  domain: corp.crashup.example
  segments:
    - { id: servers, zone: servers, cidr: 10.231.2.0/24 }
    - { id: staff, zone: staff, cidr: 10.231.16.0/24 }
  firewall: { name: fw, fidelity: live }
  policy:
    default: deny
    rules:
      - { from: staff, to: servers, ports: [80] }
hosts:
  - { name: web, role: web, segment: servers, ip: 10.231.2.20, fidelity: live }
  - { name: pc-01, role: workstation, segment: staff, department: staff, fidelity: live }
  - { name: pc-02, role: workstation, segment: staff, department: staff, fidelity: live }
teams:
  count: 1
`;

/** Mail server, proxy, C2 and one workstation; the MSEL is written by `injectsYaml`. */
function injectsRange(msel: string): string {
  return `cyrange: 1
metadata: { id: crash-inj, title: Crash during injects, duration: 2h, compression: 60 }
organisation:
  name: Crash Inject Office
  domain: crashinj.example
  departments:
    - { id: staff, name: Staff, headcount: 1, segment: staff }
  people:
    - { id: victim, name: Kenji Sato, account: k.sato, department: staff, host: pc-01 }
network:
  domain: corp.crashinj.example
  segments:
    - { id: internet, zone: internet, cidr: 198.19.232.0/24 }
    - { id: dmz, zone: dmz, cidr: 10.232.1.0/24 }
    - { id: servers, zone: servers, cidr: 10.232.2.0/24 }
    - { id: staff, zone: staff, cidr: 10.232.16.0/24 }
  egress: { proxy: proxy, port: 3128 }
  firewall: { name: fw, fidelity: live }
  policy:
    default: deny
    rules:
      - { from: staff, to: dmz, ports: [3128] }
      - { from: staff, to: servers, ports: [25] }
      - { from: dmz, to: internet, ports: [80] }
hosts:
  - { name: proxy, role: proxy, segment: dmz, ip: 10.232.1.10, fidelity: live }
  - { name: mail, role: mail, segment: servers, ip: 10.232.2.25, fidelity: live }
  - { name: pc-01, role: workstation, segment: staff, department: staff, fidelity: live }
  - { name: c2, role: c2, segment: internet, fidelity: live, aliases: [update-check.example] }
teams:
  count: 1
${msel}`;
}

/**
 * `count` file drops and `count` mails, one of each every `everySec` scenario seconds from T+1m,
 * and one beacon: every live effect is countable on the containers afterwards.
 */
export function injectsYaml(count: number, everySec: number): string {
  const lines = ['msel:', '  phases:', '    - { id: intrusion, title: Intrusion }', '  injects:'];
  for (let i = 0; i < count; i++) {
    const at = 60 + i * everySec;
    lines.push(
      `    - id: drop-${i}`,
      `      title: Drop ${i}`,
      '      phase: intrusion',
      `      trigger: { at: +${at}s }`,
      `      action: { type: file, host: pc-01, path: /opt/crash/drop-${i}.txt, content: "drop ${i}\\n", mode: "0644" }`,
      `    - id: mail-${i}`,
      `      title: Mail ${i}`,
      '      phase: intrusion',
      `      trigger: { at: +${at}s }`,
      '      action:',
      '        type: mail',
      '        from: it-support@evil-helpdesk.example',
      '        to: victim',
      `        subject: Crash mail ${i}`,
      `        body: Mail number ${i}.`,
    );
  }
  lines.push(
    '    - id: beacon',
    '      title: The implant beacons',
    '      phase: intrusion',
    '      trigger: { at: +60s }',
    '      action: { type: beacon, host: pc-01, c2: c2, domain: update-check.example, interval: 5s }',
  );
  return injectsRange(`${lines.join('\n')}\n`);
}

/**
 * A simulated scenario (no containers) with two teams and `count` message injects, one every
 * `everySec` scenario seconds from T+1m, for the report and database suites.
 */
export function simulatedYaml(count: number, everySec: number): string {
  const injects: string[] = [];
  for (let i = 0; i < count; i++) {
    injects.push(
      `    - id: note-${i}`,
      `      title: Note ${i}`,
      '      phase: intrusion',
      `      trigger: { at: +${60 + i * everySec}s }`,
      `      action: { type: message, from: soc, subject: Note ${i}, body: Look at pc-01. }`,
    );
  }
  return `cyrange: 1
metadata: { id: crash-sim, title: Crash during reports, duration: 8h, compression: 1 }
organisation:
  name: Crash Sim Office
  domain: crashsim.example
  departments:
    - { id: staff, name: Staff, headcount: 2, segment: staff }
network:
  domain: corp.crashsim.example
  segments:
    - { id: servers, zone: servers, cidr: 10.233.2.0/24 }
    - { id: staff, zone: staff, cidr: 10.233.16.0/24 }
hosts:
  - { name: web, role: web, segment: servers, ip: 10.233.2.20 }
  - { name: pc-01, role: workstation, segment: staff, department: staff }
teams:
  count: 2
msel:
  phases:
    - { id: intrusion, title: Intrusion }
  injects:
${injects.join('\n')}
`;
}

export function writeScenario(dir: string, name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}
