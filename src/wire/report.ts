/**
 * The structured incident report a team submits (REST `POST /api/teams/:team/reports`).
 * Validated with this schema on the server; the web client can use it to validate forms.
 */
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

export const REPORT_KINDS = ['incident', 'escalation', 'situation'] as const;
export const ESCALATION_TARGETS = ['csirt', 'management', 'vendor', 'soc', 'police', 'other'] as const;

export const reportInputSchema = z
  .object({
    kind: z.enum(REPORT_KINDS),
    /** Whom an escalation is addressed to. */
    to: z.enum(ESCALATION_TARGETS).optional(),
    title: text(200),
    hosts: z.array(text(253)).max(100).default([]),
    accounts: z.array(text(256)).max(100).default([]),
    indicators: z.array(text(2048)).max(200).default([]),
    techniques: z.array(text(100)).max(50).default([]),
    timeline: z
      .array(z.object({ at: z.string().trim().max(64), text: text(2000) }).strict())
      .max(200)
      .default([]),
    narrative: z.string().max(20_000).default(''),
  })
  .strict();

export type ReportInput = z.input<typeof reportInputSchema>;
export type Report = z.output<typeof reportInputSchema>;

/** A report as the API returns it. */
export interface SubmittedReport extends Report {
  id: number;
  team: string;
  actor: string;
  /** Scenario seconds and wall ms at which it was durably recorded. */
  scenarioTime: number;
  wallTime: number;
}
