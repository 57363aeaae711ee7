/**
 * What an action does to a simulated host, in words: the effect itself is the simulation folding
 * the recorded event (src/engine/simulation/response-effects.ts), so nothing runs here.
 */
import type { ActionInput, ActionResult } from '../wire/actions';

export function simulatedResult(input: ActionInput): ActionResult {
  const ok = (changed: string, output?: string): ActionResult => ({
    ok: true,
    changed,
    ...(output !== undefined ? { output } : {}),
    fidelity: 'simulated',
  });
  switch (input.action) {
    case 'host.isolate':
      return ok(`${input.host} is cut off the network: it sends no more traffic`);
    case 'host.release':
      return ok(`${input.host} is back on the network`);
    case 'proxy.block':
      return ok(`the proxy denies ${input.domain} and its subdomains (TCP_DENIED/403)`);
    case 'proxy.unblock':
      return ok(`the proxy allows ${input.domain} again`);
    case 'firewall.block':
      return ok(`the firewall rejects traffic to ${input.ip}`);
    case 'firewall.unblock':
      return ok(`the firewall no longer rejects traffic to ${input.ip}`);
    case 'account.disable':
      return ok(`account ${input.account} is disabled: its logons fail`);
    case 'account.enable':
      return ok(`account ${input.account} is enabled again`);
    case 'account.reset':
      return ok(`the password of ${input.account} is reset; the user must change it at the next logon`);
    case 'process.kill':
      return ok(`killed processes matching ${input.process} on ${input.host}`);
    case 'host.restore':
      return ok(`${input.host} is restored from its image: its state is reset`);
    case 'evidence.collect':
      return ok(
        `collected ${input.kind} from ${input.host}`,
        `${input.host} is a simulated host: search its telemetry for ${input.kind === 'processes' ? 'process-created records' : `file records of ${input.path}`}`,
      );
  }
}
