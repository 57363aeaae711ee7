/**
 * Server configuration, resolved in this one place: command-line flags first, then the
 * environment (`CYRANGE_HOST`, `CYRANGE_PORT`, `CYRANGE_PUBLIC_URL`), then defaults. A value that
 * does not parse is an error naming the source and the fix — never silently replaced by a default.
 */

export interface ServerConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Base URL put in join links; defaults to `http://host:port` once listening. */
  publicUrl?: string;
  /** Largest JSON body accepted, bytes. */
  bodyLimit: number;
  /** Join attempts allowed per client address per window. */
  loginAttempts: number;
  loginWindowMs: number;
  /** Lifetime of a login session and of a join link. */
  sessionTtlMs: number;
  linkTtlMs: number;
  /** How often the server looks for events written by other processes. */
  pollMs: number;
  /** Socket requests allowed per connection per second. */
  socketRatePerSecond: number;
  /** Sockets one login may hold open at once (tabs, reconnects). */
  maxSocketsPerLogin: number;
}

export const DEFAULTS: ServerConfig = {
  host: '127.0.0.1',
  port: 8080,
  bodyLimit: 64 * 1024,
  loginAttempts: 10,
  loginWindowMs: 60_000,
  sessionTtlMs: 24 * 3600_000,
  linkTtlMs: 7 * 24 * 3600_000,
  pollMs: 100,
  socketRatePerSecond: 20,
  maxSocketsPerLogin: 20,
};

export interface ConfigSources {
  flags?: { host?: string; port?: string | number; publicUrl?: string };
  env?: NodeJS.ProcessEnv;
  overrides?: Partial<ServerConfig>;
}

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false; error: string };

function parsePort(text: string, source: string): number | string {
  if (!/^\d{1,5}$/.test(text.trim()) || Number(text) > 65535) {
    return `${source}: port \`${text}\` is not a whole number from 0 to 65535 — give e.g. 8080 (0 picks a free port)`;
  }
  return Number(text);
}

function parseUrl(text: string, source: string): string | { error: string } {
  try {
    const u = new URL(text);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    return u.origin;
  } catch {
    return { error: `${source}: \`${text}\` is not an http(s) URL — give e.g. https://cyrange.example:8443` };
  }
}

export function resolveServerConfig(sources: ConfigSources = {}): ConfigResult {
  const env = sources.env ?? {};
  const config: ServerConfig = { ...DEFAULTS, ...sources.overrides };
  const host = sources.flags?.host ?? env.CYRANGE_HOST;
  if (host !== undefined) {
    if (!/^[\w.:-]+$/.test(host))
      return { ok: false, error: `host \`${host}\` is not a host name or address` };
    config.host = host;
  }
  const portFlag = sources.flags?.port;
  const portText = portFlag !== undefined ? String(portFlag) : env.CYRANGE_PORT;
  if (portText !== undefined) {
    const p = parsePort(portText, portFlag !== undefined ? '--port' : 'CYRANGE_PORT');
    if (typeof p === 'string') return { ok: false, error: p };
    config.port = p;
  }
  const urlFlag = sources.flags?.publicUrl;
  const urlText = urlFlag ?? env.CYRANGE_PUBLIC_URL;
  if (urlText !== undefined) {
    const u = parseUrl(urlText, urlFlag !== undefined ? '--public-url' : 'CYRANGE_PUBLIC_URL');
    if (typeof u !== 'string') return { ok: false, error: u.error };
    config.publicUrl = u;
  }
  return { ok: true, config };
}
