/** Runs the CLI from the TypeScript sources (tests and development); `bin/cyrange.js` runs the build. */
import { main } from './main';

main(process.argv).then((code) => {
  process.exitCode = code;
});
