// Runs the cyrange CLI from its TypeScript sources in a plain `node` child (transpile-only; types
// are checked by `npm run typecheck`), so `cyrange serve` is tested as a real process.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  module._compile(outputText, filename);
};

require(path.join(__dirname, '../../../src/cli/main.ts'))
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
