/**
 * Response actions a team takes on its range (REST `POST /api/teams/:team/actions`): one closed
 * catalog, validated with this schema on the server; the web client can use it for its forms.
 * Action names are the ones scoring reads (`host.isolate`, `proxy.block`, `account.disable`,
 * `process.kill`…), so destructive-action penalties and containment credit follow from them.
 */
import { z } from 'zod';

const name = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a host name: letters, digits, _ . -');
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(253)
  .regex(/^(?=.*[a-z])[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a domain name such as evil.example');
const ipv4 = z
  .string()
  .trim()
  .regex(
    /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/,
    'an IPv4 address such as 203.0.113.7',
  );
const account = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-z_][a-z0-9_.-]*$/i, 'an account name such as alice.tanaka');
const processName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[^\s'"`$;&|<>\\]+$/, 'a process name or path without spaces or shell characters');
const filePath = z
  .string()
  .trim()
  .min(1)
  .max(1024)
  .regex(/^\/[^'"`$;&|<>\\\n]*$/, 'an absolute path without shell characters');
const reason = z.string().trim().max(2000).optional();

export const actionInputSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('host.isolate'), host: name, reason }).strict(),
  z.object({ action: z.literal('host.release'), host: name, reason }).strict(),
  z.object({ action: z.literal('proxy.block'), domain, reason }).strict(),
  z.object({ action: z.literal('proxy.unblock'), domain, reason }).strict(),
  z.object({ action: z.literal('firewall.block'), ip: ipv4, reason }).strict(),
  z.object({ action: z.literal('firewall.unblock'), ip: ipv4, reason }).strict(),
  z.object({ action: z.literal('account.disable'), account, reason }).strict(),
  z.object({ action: z.literal('account.enable'), account, reason }).strict(),
  z.object({ action: z.literal('account.reset'), account, reason }).strict(),
  z.object({ action: z.literal('process.kill'), host: name, process: processName, reason }).strict(),
  z.object({ action: z.literal('host.restore'), host: name, reason }).strict(),
  z
    .object({
      action: z.literal('evidence.collect'),
      host: name,
      kind: z.enum(['processes', 'files', 'hash']),
      path: filePath.optional(),
      reason,
    })
    .strict()
    .refine((a) => a.kind === 'processes' || a.path !== undefined, {
      message: 'give the `path` to list or hash',
      path: ['path'],
    }),
]);

export type ActionInput = z.output<typeof actionInputSchema>;
export type ActionName = ActionInput['action'];

export const ACTION_NAMES: readonly ActionName[] = [
  'host.isolate',
  'host.release',
  'proxy.block',
  'proxy.unblock',
  'firewall.block',
  'firewall.unblock',
  'account.disable',
  'account.enable',
  'account.reset',
  'process.kill',
  'host.restore',
  'evidence.collect',
];

/** What an action did, as recorded in its event. */
export interface ActionResult {
  ok: boolean;
  /** One line for people: what changed (or why nothing did). */
  changed: string;
  /** Collected evidence or command output, cut to a few KiB. */
  output?: string;
  fidelity: 'live' | 'simulated';
}

/** One action as the team and the white cell see it. */
export interface ActionView {
  id: number;
  team: string;
  actor: string;
  action: ActionName;
  input: ActionInput;
  result: ActionResult;
  scenarioTime: number;
  wallTime: number;
  /** Set once the controller undid it. */
  undone?: { id: number; by: string; reason: string; scenarioTime: number; result: ActionResult };
}

export const undoInputSchema = z.object({ reason: z.string().trim().min(1).max(2000) }).strict();
