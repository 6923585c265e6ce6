import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import type { ChalkInstance } from 'chalk';
import type { CliIo } from '../util/io.js';

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

/** Option parser that collects the values of a repeatable option (`--include a --include b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
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

/**
 * Whether to paint the output, decided in supports-color's order (the module chalk uses), from this
 * run's `io` rather than the process's globals: `--color`/`--no-color` first (the command line beats
 * the environment), then `FORCE_COLOR` (`0` or `false` off, anything else on), `NO_COLOR` set and
 * not empty (https://no-color.org), stdout not a terminal, `TERM=dumb`; else colour.
 *
 * @param flag true with `--color`, false with `--no-color`, undefined without either.
 */
export function useColor(io: CliIo, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '') return false;
  if (io.stdout.isTTY !== true) return false;
  return io.env['TERM'] !== 'dumb';
}

/**
 * `--color` and `--no-color`, to add together (`.addOption(o[0]).addOption(o[1])`): declaring both
 * leaves the option undefined when neither is given.
 */
export function colorOptions(): readonly [Option, Option] {
  return [
    new Option('--color', 'colours even when stdout is not a terminal (also FORCE_COLOR=1)'),
    new Option('--no-color', 'no colours (also NO_COLOR=1, TERM=dumb, or stdout not a terminal)'),
  ];
}
