import type { ImageName } from '../images/image-catalog';

/**
 * Per-role readiness: a shell command run inside the container that exits 0 once the role's service
 * answers. Every non-firewall host must also have its default route through the team firewall.
 * `up` does not run it through the engine: the container gets it in READY_CHECK_ENV and the image's
 * `cyrange-ready` runs it and says READY_LINE on the container's output (infra/images/common). Range
 * health still runs it as an exec, to ask again later.
 */
export type ReadinessCheck = { command: string };

/** The environment variable carrying the check into the container. */
export const READY_CHECK_ENV = 'CYRANGE_READY_CHECK';
/** What `cyrange-ready` prints once the check passes; `cyrange-health: failing: …` before that. */
export const READY_LINE = 'cyrange-health: ready';
export const FAILING_PREFIX = 'cyrange-health: failing: ';

const ROUTED = '{ [ -z "$CYRANGE_GATEWAY" ] || ip route show default | grep -q "via $CYRANGE_GATEWAY "; }';
/** A listening socket, checked without connecting (a probe connection would land in the service's logs). */
const port = (p: number, proto: 't' | 'u' = 't'): string => `ss -Hl${proto}n 'sport = :${p}' | grep -q .`;

export const READINESS: Record<ImageName, ReadinessCheck> = {
  workstation: { command: `test -f /run/cyrange-started && pgrep -x rsyslogd >/dev/null && ${ROUTED}` },
  'file-server': { command: `${port(445)} && ${ROUTED}` },
  mail: { command: `${port(25)} && ${ROUTED}` },
  dns: { command: `${port(53, 'u')} && ${ROUTED}` },
  proxy: { command: `${port(3128)} && ${ROUTED}` },
  firewall: { command: 'test -f /run/cyrange-started && iptables -S FORWARD >/dev/null' },
  web: { command: `${port(80)} && ${ROUTED}` },
  'log-collector': { command: `${port(514, 'u')} && ${port(514)} && ${ROUTED}` },
  c2: { command: `${port(80)} && ${ROUTED}` },
};
