#!/usr/bin/env node
// Entry point for `npx cyrange`: runs the compiled CLI (built by `npm run build`).
require('../dist/src/cli/main.js').main(process.argv).then((code) => {
  process.exitCode = code;
});
