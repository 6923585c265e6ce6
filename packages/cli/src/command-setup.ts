import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { ChalkInstance } from 'chalk';
import type { CliIo } from './io.js';

/** Output, exits and help width shared by every command: writes only to `io`, never exits the process. */
export function configure(command: Command, io: CliIo): Command {
  return command
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });
}

/** Option parser for a whole number of 0 or more. */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('Expected a whole number, 0 or more.');
  return Number(value);
}

/** Option parser for a positive whole number (a shard count, a number of workers). */
export function parsePositive(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('Expected a positive whole number.');
  return Number(value);
}

/** A shard count. */
export const parseShards = parsePositive;

/** The colour a route is shown in: green on the fast path, red when it scatters or is unknown. */
export function routeColour(c: ChalkInstance, route: string): ChalkInstance {
  switch (route) {
    case 'single-shard':
      return c.green;
    case 'single-shard-routed':
    case 'multi-shard':
      return c.yellow;
    case 'all-shards':
    case 'unknown':
      return c.red;
    case 'router':
      return c.magenta;
    case 'reference':
    case 'standard':
      return c.cyan;
    default:
      return c.gray;
  }
}

/** Whether to paint the output: not with --no-color, only on a terminal, never with NO_COLOR set and not empty (https://no-color.org). */
export function useColor(io: CliIo, color: boolean): boolean {
  const noColor = io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '';
  return color && io.stdout.isTTY === true && !noColor;
}
