// Lets a plain `node` child process (CLI, crash and killed-orchestrator tests, benchmarks in development)
// load the TypeScript sources directly: `node -r ./test/support/register-ts.js FILE.ts`. Transpile-only;
// types are checked by `npm run typecheck`. Cached by content hash, so most spawns skip the compiler.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const CACHE = path.join(__dirname, '../../node_modules/.cache/cyrange-ts');
let ts;

function transpile(source, filename) {
  ts ??= require('typescript');
  return ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  }).outputText;
}

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha1').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(CACHE, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = transpile(source, filename);
    try {
      fs.mkdirSync(CACHE, { recursive: true });
      fs.writeFileSync(`${cached}.${process.pid}`, output);
      fs.renameSync(`${cached}.${process.pid}`, cached);
    } catch {
      // A read-only tree only loses the cache, not the run.
    }
  }
  module._compile(output, filename);
};
