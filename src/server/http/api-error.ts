/**
 * Errors as values with a status: routes throw `ApiError`, the error middleware turns it (and
 * everything express or the body parser throws) into the one envelope `{ error: { code, message,
 * field? } }`. Bad input is always a 4xx; only a bug is a 500, and its details stay in the log.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import { StorageFault } from '../../engine/store/storage-fault';
import type { ApiErrorBody, ErrorCode, ErrorEnvelope } from '../../wire/errors';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  timeout: 504,
  unavailable: 503,
  internal: 500,
};

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): number {
    return STATUS[this.code];
  }

  body(): ErrorEnvelope {
    const error: ApiErrorBody = { code: this.code, message: this.message };
    if (this.field !== undefined) error.field = this.field;
    return { error };
  }
}

/** The first zod issue as an API error, with its path as `field` (`body.hosts.2`). */
export function validationError(where: 'body' | 'query' | 'params' | 'payload', error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const path = issue ? [where, ...issue.path.map(String)].join('.') : where;
  return new ApiError('validation_failed', `${path}: ${issue?.message ?? 'invalid'}`, path);
}

/** Parses `value` with `schema` or throws a 422 naming the field. */
export function parseOr422<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'params' | 'payload',
): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(where, r.error);
  return r.data;
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new ApiError('not_found', `no route ${req.method} ${req.path}`));
};

interface HttpishError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
}

/** SQLite refusing writes (raw, or classified as a `StorageFault` naming the file and the fix): the request was not recorded, and the client may retry later. */
const STORAGE_REFUSALS = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CANTOPEN|PERM)/;

function fromThrown(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const h = (e ?? {}) as HttpishError & { code?: unknown };
  if (typeof h.code === 'string' && STORAGE_REFUSALS.test(h.code)) {
    return new ApiError(
      'unavailable',
      `the exercise database refuses writes (${h.code}) — nothing was recorded; ${
        e instanceof StorageFault ? `${e.message}; ` : ''
      }retry, and tell the white cell if it persists`,
      undefined,
      { 'Retry-After': '5' },
    );
  }
  switch (h.type) {
    case 'entity.too.large':
      return new ApiError('payload_too_large', 'request body too large', 'body');
    case 'entity.parse.failed':
      return new ApiError('bad_request', 'request body is not valid JSON', 'body');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('unsupported_media_type', 'send UTF-8 JSON', 'body');
    default:
      break;
  }
  const status = h.status ?? h.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ApiError(status === 413 ? 'payload_too_large' : 'bad_request', 'malformed request');
  }
  return new ApiError('internal', 'internal error — the server log has the details');
}

export function errorHandler(log: (message: string) => void): ErrorRequestHandler {
  return (e, req, res, _next) => {
    const err = fromThrown(e);
    if (err.code === 'internal' || err.code === 'unavailable') {
      log(`${req.method} ${req.path}: ${(e as Error)?.stack ?? String(e)}`);
    }
    if (res.headersSent) return;
    for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
    res.status(err.status).json(err.body());
  };
}
