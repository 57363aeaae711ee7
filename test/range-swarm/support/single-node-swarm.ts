/**
 * A single-node swarm for the Swarm backend tests: initialised on the shared engine only when it is not
 * a swarm manager already, and left again only by the test that initialised it. Its address pool
 * (10.246.192.0/18) keeps the ingress network, and 10.246.128.0/24 the gateway bridge, off the default
 * pools and off other fixtures.
 */
import { execFileSync, spawnSync } from 'node:child_process';

function swarmState(): string {
  return execFileSync('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}'], {
    encoding: 'utf8',
  }).trim();
}

function hasGatewayBridge(): boolean {
  return (
    execFileSync('docker', ['network', 'ls', '-q', '--filter', 'name=^docker_gwbridge$'], {
      encoding: 'utf8',
    }).trim() !== ''
  );
}

export interface TestSwarm {
  initialised: boolean;
  /** `swarm init` makes `docker_gwbridge`, and `swarm leave` keeps it: removed on leave if ours. */
  madeGatewayBridge: boolean;
}

export function joinSingleNodeSwarm(): TestSwarm {
  if (swarmState() === 'active') return { initialised: false, madeGatewayBridge: false };
  const bridgeBefore = hasGatewayBridge();
  // `swarm init` would take docker_gwbridge from the default pools: made first, with an explicit subnet.
  if (!bridgeBefore)
    execFileSync(
      'docker',
      [
        'network',
        'create',
        '--subnet',
        '10.246.128.0/24',
        '--opt',
        'com.docker.network.bridge.name=docker_gwbridge',
        '--opt',
        'com.docker.network.bridge.enable_icc=false',
        '--opt',
        'com.docker.network.bridge.enable_ip_masquerade=false',
        'docker_gwbridge',
      ],
      { stdio: 'ignore', timeout: 30_000 },
    );
  execFileSync(
    'docker',
    ['swarm', 'init', '--advertise-addr', '127.0.0.1', '--default-addr-pool', '10.246.192.0/18'],
    { stdio: 'ignore', timeout: 60_000 },
  );
  return { initialised: true, madeGatewayBridge: !bridgeBefore };
}

export async function leaveSingleNodeSwarm(swarm: TestSwarm): Promise<void> {
  if (!swarm.initialised) return;
  execFileSync('docker', ['swarm', 'leave', '--force'], { stdio: 'ignore', timeout: 60_000 });
  // The ingress sandbox lets go of the bridge a moment after the leave: bounded retries.
  for (let i = 0; swarm.madeGatewayBridge && hasGatewayBridge() && i < 40; i++) {
    spawnSync('docker', ['network', 'rm', 'docker_gwbridge'], { stdio: 'ignore', timeout: 30_000 });
    if (hasGatewayBridge()) await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
