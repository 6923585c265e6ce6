import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../src/main.js';
import type { JsonReport } from '../src/reporters/json.js';

/** The repository root: fixture paths in the tests are relative to it. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Working directory; the repository root by default. */
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  /** Whether stdout claims to be a terminal (colour is used only then). */
  readonly tty?: boolean;
  /** Whether stderr claims to be a terminal (a progress bar is drawn only then). */
  readonly stderrTty?: boolean;
  /** Standard input's content (read with `-`). */
  readonly stdin?: string | Uint8Array;
}

/** Runs `main` in-process with string buffers for stdout and stderr. */
export async function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: options.tty ?? false },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: options.stderrTty ?? false },
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? {},
    ...(options.stdin !== undefined && { stdin: Readable.from([options.stdin]) }),
  });
  return { code, stdout, stderr };
}

/** Runs `main` and returns its stdout as the JSON report. */
export async function runJson(args: readonly string[], options: RunOptions = {}): Promise<{ code: number; report: JsonReport }> {
  const run = await runCli(['--format', 'json', ...args], options);
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport };
}
