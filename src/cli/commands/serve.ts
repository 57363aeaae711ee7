import { Command } from 'commander';
import { resolveServerConfig } from '../../server/config';
import { CliExit, EXIT } from '../exit-codes';
import { type ExerciseOptions, openExercise, withExerciseOptions } from '../open-exercise';
import { withScenarioOptions } from '../scenario-options';
import { serveExercise } from '../serve-exercise';
import { serveSetupMode } from '../serve-setup';

export function serveCommand(): Command {
  return withScenarioOptions(
    withExerciseOptions(new Command('serve'))
      .description(
        'run an exercise and serve its API and live scoreboard, printing join links; without FILE, serve the setup page where the controller loads, checks and launches a scenario (or resume the exercise launched there)',
      )
      .argument('[file]', 'scenario YAML file (omit it for setup mode)')
      .option('--port <n>', 'TCP port (0 picks a free one; env CYRANGE_PORT; default 8080)')
      .option('--host <address>', 'address to listen on (env CYRANGE_HOST; default 127.0.0.1)')
      .option('--public-url <url>', 'base URL put in join links (env CYRANGE_PUBLIC_URL)')
      .option('--start', 'start the exercise clock at once (default: the controller starts it)')
      .option(
        '--scenarios <dir>',
        'setup mode: folder of the scenarios the setup page offers (default: the shipped ones)',
      )
      .option('--web-root <dir>', 'the built web console to serve (default: dist/web of this package)'),
  ).action(async (file: string | undefined, opts) => {
    const resolved = resolveServerConfig({
      flags: { host: opts.host, port: opts.port, publicUrl: opts.publicUrl },
      env: process.env,
    });
    if (!resolved.ok) throw new CliExit(EXIT.usage, resolved.error);
    const out = (line: string) => process.stdout.write(`${line}\n`);
    if (file === undefined) {
      // The scenario's own flags belong to the setup page in this mode.
      for (const flag of ['session', 'live', 'exercise', 'teams'] as const) {
        if (opts[flag] !== undefined)
          throw new CliExit(
            EXIT.usage,
            `cyrange serve: --${flag} needs a scenario FILE (setup mode sets it on the page)`,
          );
      }
      if (Object.keys(opts.set ?? {}).length > 0)
        throw new CliExit(
          EXIT.usage,
          'cyrange serve: --set needs a scenario FILE (setup mode sets parameters on the page)',
        );
      await serveSetupMode({
        db: opts.db as string,
        config: resolved.config,
        ...(opts.sandbox ? { sandbox: opts.sandbox as string } : {}),
        ...(opts.start ? { start: true } : {}),
        ...(opts.speed !== undefined ? { speed: opts.speed as number } : {}),
        ...(opts.scenarios ? { scenarios: opts.scenarios as string } : {}),
        ...(opts.webRoot ? { webRoot: opts.webRoot as string } : {}),
        out,
      });
      return;
    }
    const { live, store, session, driver } = await openExercise(file, opts as ExerciseOptions);
    await serveExercise({
      store,
      session,
      live,
      driver,
      config: resolved.config,
      ...(opts.start ? { start: true } : {}),
      ...(opts.speed !== undefined ? { speed: opts.speed as number } : {}),
      ...(opts.webRoot ? { webRoot: opts.webRoot as string } : {}),
      out,
    });
  });
}
