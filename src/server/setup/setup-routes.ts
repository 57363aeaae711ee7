/**
 * The setup API (`cyrange serve` without a FILE), for the controller only: the shipped
 * scenarios, validation of a pasted or edited text with every problem at its line, and the
 * launch. Bodies are validated with zod; a scenario with problems is a 422 that carries them.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { MAX_SETUP_TEXT_BYTES, type SetupInput } from '../../wire/setup';
import { ApiError, parseOr422 } from '../http/api-error';
import { guard } from '../http/authenticate';
import { checkScenario } from './check-scenario';
import { recordView } from './launch-store';
import type { Launcher } from './launcher';
import { type ScenarioLibrary, SOURCE_NAME } from './scenario-library';

const MAX_TEAMS = 100;

const paramName = z.string().regex(/^[a-zA-Z_][\w-]{0,63}$/, 'a parameter name (letters, digits, _ and -)');
const paramValue = z.union([z.string().max(200), z.number().finite(), z.boolean()]);

export const setupInputSchema = z
  .object({
    source: z.string().regex(SOURCE_NAME, 'a shipped scenario name (e.g. quickstart) or `pasted`'),
    text: z
      .string()
      .min(1, 'paste or load a scenario first')
      .refine((t) => Buffer.byteLength(t) <= MAX_SETUP_TEXT_BYTES, {
        message: `larger than ${MAX_SETUP_TEXT_BYTES / 1024} KiB — split it with \`include:\` in the scenarios folder`,
      }),
    set: z
      .record(paramName, paramValue)
      .refine((s) => Object.keys(s).length <= 50, { message: 'at most 50 parameters' })
      .optional(),
    teams: z.number().int('a whole number').min(1).max(MAX_TEAMS).optional(),
    mode: z.enum(['live', 'simulated']),
    speed: z.number().positive().max(100_000).optional(),
    exercise: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'lowercase letters, digits and dashes (at most 31)')
      .optional(),
  })
  .strict();

const nameParams = z.object({ name: z.string().regex(SOURCE_NAME, 'a scenario name') });

export interface SetupRouteDeps {
  library: ScenarioLibrary;
  launcher: Launcher;
}

function asInput(body: z.output<typeof setupInputSchema>): SetupInput {
  return body as SetupInput;
}

export function setupRoutes(r: Router, deps: SetupRouteDeps): void {
  const controller = guard('exercise:control');

  r.get('/setup/state', controller, (_req, res) => {
    res.json(deps.launcher.view());
  });

  r.get('/setup/scenarios', controller, (_req, res) => {
    res.json({ scenarios: deps.library.list() });
  });

  r.get('/setup/scenarios/:name', controller, (req, res) => {
    const { name } = parseOr422(nameParams, req.params, 'params');
    const text = deps.library.text(name);
    if (text === undefined)
      throw new ApiError('not_found', `no scenario "${name}" in the scenarios folder`, 'params.name');
    res.json({ name, text });
  });

  r.post('/setup/validate', controller, (req, res) => {
    const input = asInput(parseOr422(setupInputSchema, req.body, 'body'));
    res.json(checkScenario(input, deps.library).result);
  });

  r.post('/setup/launch', controller, (req, res) => {
    const input = asInput(parseOr422(setupInputSchema, req.body, 'body'));
    const checked = checkScenario(input, deps.library);
    if (!checked.plan || !checked.result.ok) {
      const n = checked.result.diagnostics.length;
      res.status(422).json({
        error: {
          code: 'validation_failed',
          message: `the scenario has ${n} problem${n === 1 ? '' : 's'} — fix them, then launch`,
          field: 'body.text',
        },
        diagnostics: checked.result.diagnostics,
      });
      return;
    }
    const launch = deps.launcher.begin(input, { ...checked, plan: checked.plan });
    res.status(202).json({ launch: recordView(launch), summary: checked.result.summary });
  });
}
