/**
 * Wire types of a team's investigation: telemetry search, host inventory, alerts, report drafts
 * and their attachments. The zod schemas are what the server validates with and what the OpenAPI
 * document is converted from.
 */
import { z } from 'zod';
import { reportInputSchema } from './report';

/** Limits a search must respect; a request over one gets 422 naming the field and the limit. */
export const SEARCH_LIMITS = {
  /** Widest time range of one search, ms (a day). */
  maxRangeMs: 24 * 3600_000,
  /** Widest histogram range, ms (a week). */
  maxHistogramRangeMs: 7 * 24 * 3600_000,
  /** Records per page. */
  maxPageSize: 500,
  /** Histogram buckets per answer. */
  maxBuckets: 500,
  /** Field filters per search. */
  maxFilters: 8,
  /** Free text, characters. */
  maxTextLength: 200,
} as const;

const fieldName = z.string().regex(/^[@A-Za-z][A-Za-z0-9_.@-]{0,63}$/, 'an ECS field name such as host.name');
const fieldValue = z.union([z.string().max(256), z.number().finite(), z.boolean()]);
const instant = z.union([
  z.number().int().min(0).max(8.64e15),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
]);

export const telemetrySearchSchema = z
  .object({
    /** Unix ms or ISO 8601, inclusive. */
    from: instant,
    /** Unix ms or ISO 8601, exclusive (clamped to the exercise's current time). */
    to: instant,
    filters: z
      .record(fieldName, fieldValue)
      .refine((f) => Object.keys(f).length <= SEARCH_LIMITS.maxFilters, {
        message: `at most ${SEARCH_LIMITS.maxFilters} filters`,
      })
      .optional(),
    text: z.string().min(1).max(SEARCH_LIMITS.maxTextLength).optional(),
    limit: z.number().int().min(1).max(SEARCH_LIMITS.maxPageSize).default(100),
    cursor: z.string().max(200).optional(),
    /** Histogram bucket width, ms (a multiple of a minute); omit for no histogram. */
    interval: z
      .number()
      .int()
      .min(60_000)
      .max(7 * 24 * 3600_000)
      .multipleOf(60_000)
      .optional(),
  })
  .strict();
export type TelemetrySearchInput = z.input<typeof telemetrySearchSchema>;

export type TelemetryDocument = Record<string, string | number | boolean>;

export interface TelemetrySearchResult {
  records: TelemetryDocument[];
  nextCursor?: string;
  /** Minutes of telemetry scanned to answer (the query's cost). */
  scannedBuckets: number;
  histogram?: { ts: number; count: number }[];
  /** Wall ms the search took on the server. */
  tookMs: number;
}

export type HostState = 'up' | 'isolated' | 'restored' | 'unknown';

export interface HostSummary {
  name: string;
  ip: string;
  segment: string;
  role: string;
  os: string;
  fidelity: string;
  department?: string;
  state: HostState;
}

export interface HostGroup {
  segment: string;
  role: string;
  count: number;
}

export interface HostInventory {
  total: number;
  groups: HostGroup[];
  hosts: HostSummary[];
  nextCursor?: string;
}

export interface HostDetail extends HostSummary {
  fqdn: string;
  aliases: string[];
  services: string[];
  users: string[];
  tags: string[];
  /** The host's telemetry of the last hour of scenario time, newest last (at most 50). */
  recentActivity: TelemetryDocument[];
  /** Alerts raised on this host. */
  alerts: AlertView[];
}

export type AlertSeverity = 'low' | 'medium' | 'high' | 'critical';

export interface AlertView {
  seq: number;
  /** Detection rule id. */
  rule: string;
  title: string;
  severity: AlertSeverity;
  /** The group the threshold was counted in (host name, user…), when the rule groups. */
  group?: string;
  count: number;
  /** Unix ms of the first and last matching record in the window. */
  firstMs: number;
  lastMs: number;
  /** Up to 5 matching records as the team would find them. */
  samples: TelemetryDocument[];
  scenarioTime: number;
}

export const DRAFT_LIMITS = {
  maxDraftsPerTeam: 50,
  maxAttachmentsPerTeam: 50,
  maxAttachmentBytes: 40 * 1024,
};

/** A draft is a report in progress: every field optional, the same bounds as a submission. */
export const draftInputSchema = reportInputSchema.partial();
export type DraftInput = z.infer<typeof draftInputSchema>;

export interface ReportDraft {
  id: string;
  team: string;
  revision: number;
  updatedBy: string;
  updatedMs: number;
  body: DraftInput;
  /** Ids of attachments linked to this draft. */
  attachments: string[];
  /** Event seq of the report this draft became, once submitted (then it is read-only). */
  submittedReport?: number;
}

export const ATTACHMENT_TYPES = [
  'text/plain',
  'text/csv',
  'application/json',
  'message/rfc822',
  'image/png',
  'application/pdf',
  'application/vnd.tcpdump.pcap',
] as const;

export const attachmentInputSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(120)
      .regex(/^[\w][\w .()-]*$/, 'letters, digits, space, _ . ( ) -'),
    contentType: z.enum(ATTACHMENT_TYPES),
    /** The bytes, base64 (standard alphabet). */
    content: z
      .string()
      .min(1)
      .max(Math.ceil(DRAFT_LIMITS.maxAttachmentBytes / 3) * 4)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
    draft: z.string().max(40).optional(),
  })
  .strict();

export interface AttachmentInfo {
  id: string;
  team: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploadedMs: number;
  draft?: string;
}
