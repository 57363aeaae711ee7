/**
 * The console's hashed assets (scripts, style sheets), read once when the server starts and
 * served from memory: with the gzip copy the build made when the browser accepts gzip, and
 * cacheable for good (a new build has new names). Reading them up front also keeps a running
 * server consistent with the shell it serves when `npm run build` replaces dist/web under it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Request, RequestHandler, Response } from 'express';

interface Asset {
  type: string;
  body: Buffer;
  gzip?: Buffer;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The files of `dir` the build made (`.js`, `.css`), each with its `.gz` twin when there is one. */
export function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(dir)) return assets;
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const gz = join(dir, `${name}.gz`);
    assets.set(name, {
      type,
      body: readFileSync(join(dir, name)),
      ...(existsSync(gz) ? { gzip: readFileSync(gz) } : {}),
    });
  }
  return assets;
}

function send(req: Request, res: Response, asset: Asset): void {
  // Caches must keep the gzip and the plain answer apart.
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  res.setHeader('Content-Type', asset.type);
  const gzip = asset.gzip !== undefined && req.acceptsEncodings('gzip', 'identity') === 'gzip';
  const body = gzip ? (asset.gzip as Buffer) : asset.body;
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', String(body.length));
  res.status(200).end(req.method === 'HEAD' ? undefined : body);
}

/** GET/HEAD `/<name>` from `assets`; anything else falls through (to the 404 handler). */
export function serveAssets(assets: Map<string, Asset>): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const asset = assets.get(req.path.slice(1));
    if (!asset) return next();
    send(req, res, asset);
  };
}
