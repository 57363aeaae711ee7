// Builds the web console into dist/web: hashed ES module chunks and style sheets, a gzip copy of
// each (served precompressed), and manifest.json telling the server what every page needs.
// The app script is shared by every page; pages in LAZY_PAGES (the terminal, which carries
// xterm.js, about 280 KiB) are split into their own chunk that only their page loads.
// Run by `npm run build` (and so by `npm ci`).
// Usage: node web/build.mjs [--out DIR] [--dev] [--single]
//   --single  the old layout (one script, no split, no gzip) — kept for bench/web-load.ts's "before"
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = resolve(outAt >= 0 ? args[outAt + 1] : join(root, 'dist', 'web'));
const dev = args.includes('--dev');
const single = args.includes('--single');

/**
 * Page path → the module `web/src/main.ts` imports dynamically for it, and the page's own style
 * sheet when it has one. (esbuild copies CSS imported by a lazy module into the app's style
 * sheet, so a style sheet only one page needs is a separate entry point, linked by that page's
 * shell only.) The staff pages are split off too: a team member's browser never runs them.
 */
const LAZY_PAGES = {
  '/terminal': { module: 'web/src/pages/terminal.ts', css: 'web/src/pages/terminal.css' },
  '/controller': { module: 'web/src/pages/controller.ts' },
  '/review': { module: 'web/src/pages/review.ts' },
  '/setup': { module: 'web/src/pages/setup.ts' },
};
const cssEntries = Object.fromEntries(
  Object.entries(LAZY_PAGES)
    .filter(([, { css }]) => css)
    .map(([page, { css }]) => [`${page.slice(1)}-page`, join(root, css)]),
);

// Build next to the target, then swap it in, so servers reading dist/web never see a half build.
const staging = `${out}.building-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
mkdirSync(join(staging, 'assets'), { recursive: true });
const result = await build({
  entryPoints: { app: join(here, 'src', 'main.ts'), ...(single ? {} : cssEntries) },
  bundle: true,
  format: 'esm',
  splitting: !single,
  platform: 'browser',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  outdir: join(staging, 'assets'),
  absWorkingDir: root,
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
  tsconfig: join(here, 'tsconfig.json'),
});
const outputs = result.metafile.outputs;
const entryOf = (source) => Object.keys(outputs).find((f) => outputs[f].entryPoint === source);

/** A chunk and every chunk it imports statically (what the browser fetches before running it). */
function staticClosure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const i of outputs[file].imports) if (i.kind === 'import-statement') staticClosure(i.path, seen);
  return seen;
}

const app = entryOf('web/src/main.ts');
if (!app || !outputs[app].cssBundle) throw new Error('web build: no app script or style sheet was produced');
const appFiles = staticClosure(app);
const pages = {};
if (!single) {
  for (const [page, source] of Object.entries(LAZY_PAGES)) {
    const chunk = entryOf(source.module);
    if (!chunk) throw new Error(`web build: ${source.module} is not imported dynamically by web/src/main.ts`);
    const css = source.css ? entryOf(source.css) : undefined;
    if (source.css && !css) throw new Error(`web build: no style sheet was built from ${source.css}`);
    pages[page] = {
      preload: [...staticClosure(chunk)].filter((f) => !appFiles.has(f)),
      css: css ? [css] : [],
    };
  }
}

// esbuild also writes a style sheet for each shared chunk that imports CSS; its rules are already
// in the app's style sheet and nothing links it, so it goes.
const linked = new Set([outputs[app].cssBundle, ...Object.values(pages).flatMap((p) => p.css)]);
for (const file of Object.keys(outputs)) {
  if (!file.endsWith('.css') || linked.has(file)) continue;
  rmSync(join(root, file));
  delete outputs[file];
}

// Precompressed copies: the server sends them with Content-Encoding: gzip to browsers that accept it.
let bytes = 0;
let gzipBytes = 0;
for (const [file, o] of Object.entries(outputs)) {
  bytes += o.bytes;
  if (single) continue;
  const path = join(root, file);
  const body = readFileSync(path);
  const gz = gzipSync(body, { level: 9 });
  if (gz.length < body.length) writeFileSync(`${path}.gz`, gz);
  gzipBytes += Math.min(gz.length, body.length);
}
const names = (files) => files.map((f) => basename(f));
const manifest = {
  js: basename(app),
  css: basename(outputs[app].cssBundle),
  // The chunks the app script imports: named in the shell, so they load with it, not after it.
  preload: names([...appFiles].filter((f) => f !== app)),
  pages: Object.fromEntries(
    Object.entries(pages).map(([page, p]) => [page, { preload: names(p.preload), css: names(p.css) }]),
  ),
  bytes,
  ...(single ? {} : { gzipBytes }),
};
writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

swapIn(staging, out);

/**
 * Puts the staged build at `out`: the old one moves aside, the new one moves in, the old one goes.
 * Another build finishing at the same moment may take `out` in between: then try again (3 times).
 */
function swapIn(from, to) {
  const old = `${to}.old-${process.pid}`;
  mkdirSync(dirname(to), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    try {
      if (existsSync(to)) renameSync(to, old);
      renameSync(from, to);
      break;
    } catch (e) {
      if (attempt >= 3 || !['ENOENT', 'ENOTEMPTY', 'EEXIST'].includes(e.code)) throw e;
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  }
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
process.stdout.write(
  `web console: ${manifest.js} + ${manifest.css} (${kib(bytes)}${single ? '' : `, ${kib(gzipBytes)} gzip`}) in ${out}\n`,
);
