import type { HostRole } from '../../compiler/plan';

/** The role images under infra/images/<image>/ (plus the debootstrapped base). */
export const IMAGE_NAMES = [
  'workstation',
  'file-server',
  'mail',
  'dns',
  'proxy',
  'firewall',
  'web',
  'log-collector',
  'c2',
] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];

/**
 * Which image a plan role runs. Roles without a dedicated service image (generic servers, the domain
 * controller, databases, printers) run the workstation image: a shell, syslog and the same tools, so
 * injects and investigations work on them while no real AD/database service exists yet.
 */
export const IMAGE_FOR_ROLE: Record<HostRole, ImageName> = {
  workstation: 'workstation',
  server: 'workstation',
  'domain-controller': 'workstation',
  database: 'workstation',
  printer: 'workstation',
  'file-server': 'file-server',
  mail: 'mail',
  proxy: 'proxy',
  dns: 'dns',
  web: 'web',
  firewall: 'firewall',
  'log-collector': 'log-collector',
  c2: 'c2',
};

/**
 * Capabilities added back after `CapDrop: ['ALL']`, per image. Every image except the firewall also
 * gets NET_ADMIN + SETPCAP, which its entrypoint uses once to set the default route and then removes
 * from the bounding set (see docs/RANGE.md). Keep this table and the docs table in step.
 */
export const CAPS_FOR_IMAGE: Record<ImageName, string[]> = {
  // su/sudo for participants, syslog writing root-owned files.
  workstation: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETUID', 'SETGID', 'KILL', 'AUDIT_WRITE'],
  // smbd switches to the connecting user and writes shares as them.
  'file-server': ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETUID', 'SETGID', 'KILL', 'NET_BIND_SERVICE'],
  // Postfix chroots its daemons and delivers as the mailbox owner.
  mail: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETUID', 'SETGID', 'KILL', 'NET_BIND_SERVICE', 'SYS_CHROOT'],
  dns: ['NET_BIND_SERVICE', 'SETUID', 'SETGID'],
  // Squid starts as root and drops to the proxy user.
  proxy: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETUID', 'SETGID', 'KILL'],
  // Routing and filtering between segments is its whole job.
  firewall: ['NET_ADMIN', 'NET_RAW'],
  web: ['CHOWN', 'DAC_OVERRIDE', 'SETUID', 'SETGID', 'NET_BIND_SERVICE'],
  'log-collector': ['NET_BIND_SERVICE'],
  c2: ['NET_BIND_SERVICE'],
};

/** Used once by the entrypoint (route via the firewall), then dropped. */
export const ROUTE_CAPS = ['NET_ADMIN', 'SETPCAP'];
