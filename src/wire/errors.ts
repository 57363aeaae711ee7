/**
 * The one error shape of the API: every REST error body and every failed socket.io ack is
 * `{ error: { code, message, field? } }`. `code` is stable for programs, `message` is for people,
 * `field` names the offending input (`body.hosts[2]`, `query.after`) when there is one.
 */
export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'csrf_failed',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'timeout',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  field?: string;
}

export interface ErrorEnvelope {
  error: ApiErrorBody;
}

/** Socket.io acks: success carries `data`, failure the same error body as REST. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody };
