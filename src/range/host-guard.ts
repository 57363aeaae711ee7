import type { Clients } from './docker/clients';
import { BRIDGE_PREFIX, LABEL } from './labels';
import type { RangeListener } from './progress';
import { RangeFailure } from './range-error';

/**
 * Two iptables rules on the engine's host that every range needs, installed idempotently by a one-shot
 * helper container (host network, NET_ADMIN/NET_RAW only, removed at once) so they work on any engine:
 *
 * - FORWARD (DOCKER-USER): frames switched inside one range bridge (`cr-*` in and out) are accepted.
 *   The engine's isolation rules for Internal networks drop every packet whose destination is outside
 *   the bridge's subnet, even when it is only switched to the team firewall on the same bridge; with
 *   this rule the team firewall can route between segments. Packets the host would route elsewhere
 *   (out of `cr-*` into any other interface) still hit the engine's drop rules.
 * - INPUT: nothing arriving on a range bridge reaches the host itself (range bridges also carry no host
 *   address at all: `inhibit_ipv4`).
 */
const RULES: [chain: string, rule: string][] = [
  ['DOCKER-USER', `-i ${BRIDGE_PREFIX}+ -o ${BRIDGE_PREFIX}+ -j ACCEPT`],
  ['INPUT', `-i ${BRIDGE_PREFIX}+ -j DROP`],
];

export const GUARD_SCRIPT = RULES.map(
  ([chain, rule]) =>
    `if iptables -C ${chain} ${rule} 2>/dev/null; then echo present; else iptables -I ${chain} ${rule} && echo installed; fi`,
).join('\n');

export async function ensureHostGuard(
  clients: Clients,
  options: { image: string; exercise: string; onProgress?: RangeListener },
): Promise<'installed' | 'present'> {
  const name = `${options.exercise}-host-guard`;
  await clients.containers.remove(name);
  await clients.containers.create({
    name,
    Image: options.image,
    Entrypoint: ['sh', '-c'],
    Cmd: [`set -e\n${GUARD_SCRIPT}`],
    Labels: { [LABEL.exercise]: options.exercise, [LABEL.role]: 'host-guard' },
    HostConfig: {
      NetworkMode: 'host',
      CapDrop: ['ALL'],
      CapAdd: ['NET_ADMIN', 'NET_RAW'],
      SecurityOpt: ['no-new-privileges'],
      Memory: 64 * 1024 * 1024,
      PidsLimit: 32,
    },
  });
  try {
    await clients.containers.start(name);
    const code = await clients.containers.wait(name);
    const output = await clients.containers.logs(name, 10);
    if (code !== 0) {
      throw new RangeFailure(
        `could not install the range's host rules (exit ${code}): ${output.trim()}`,
        'the engine host needs iptables with the DOCKER-USER chain (dockerd manages iptables)',
      );
    }
    const action = output.includes('installed') ? 'installed' : 'present';
    options.onProgress?.({ type: 'guard', action });
    return action;
  } finally {
    await clients.containers.remove(name);
  }
}
