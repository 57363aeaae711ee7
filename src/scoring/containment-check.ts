/**
 * Does a response action satisfy an expectation's containment check? A probe
 * (`containment.verified`) is the stronger proof and is always accepted; an action that by its
 * nature achieves the check (isolating the infected host stops its beacons) is accepted too.
 */
import type { ContainmentCheck } from '../compiler/plan';
import { indicatorMatches, parseIndicator } from './indicator';
import type { ResponseAction } from './response-action';
import type { TeamDirectory } from './team-directory';

export function actionSatisfies(
  check: ContainmentCheck,
  action: ResponseAction,
  dir: TeamDirectory,
): boolean {
  if ('isolated' in check) {
    return (
      action.kind === 'isolate' &&
      action.host !== undefined &&
      dir.host(action.host) === dir.host(check.isolated)
    );
  }
  if ('beaconStopped' in check) {
    return (
      action.kind === 'isolate' &&
      action.host !== undefined &&
      dir.host(action.host) === dir.host(check.beaconStopped)
    );
  }
  if ('blocked' in check) {
    // Blocking a domain blocks its subdomains too, so the check's name must lie within the blocked one.
    return (
      action.kind === 'block' &&
      indicatorMatches(parseIndicator(action.target), parseIndicator(check.blocked))
    );
  }
  if ('accountDisabled' in check) {
    return action.kind === 'disable-account' && dir.user(action.account) === dir.user(check.accountDisabled);
  }
  return (
    action.kind === 'kill-process' &&
    dir.host(action.host) === dir.host(check.processKilled.host) &&
    action.name.toLowerCase() === check.processKilled.name.toLowerCase()
  );
}

/** One line for breakdowns: what the check asked for. */
export function describeCheck(check: ContainmentCheck): string {
  if ('isolated' in check) return `isolate ${check.isolated}`;
  if ('beaconStopped' in check) return `stop the beacon from ${check.beaconStopped}`;
  if ('blocked' in check) return `block ${check.blocked}`;
  if ('accountDisabled' in check) return `disable account ${check.accountDisabled}`;
  return `kill ${check.processKilled.name} on ${check.processKilled.host}`;
}
