/**
 * Every `cyrange` verb, registered from this one list. Each verb lives in its own file and exports a
 * factory returning a commander `Command`; its action may throw `CliExit` to choose the exit code.
 */
import type { Command } from 'commander';
import { downCommand } from './down';
import { eventsCommand } from './events';
import { imagesCommand } from './images';
import { planCommand } from './plan';
import { runCommand } from './run';
import { schemaCommand } from './schema';
import { serveCommand } from './serve';
import { statusCommand } from './status';
import { upCommand } from './up';
import { validateCommand } from './validate';

export type CommandFactory = () => Command;

export const COMMANDS: CommandFactory[] = [
  validateCommand,
  planCommand,
  schemaCommand,
  imagesCommand,
  upCommand,
  downCommand,
  statusCommand,
  runCommand,
  eventsCommand,
  serveCommand,
];
