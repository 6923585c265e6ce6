import type { CliIo, OutputStream } from '../util/io.js';

/** Told how far a run has come. */
export interface Progress {
  /** `done` of `total` files are linted. */
  update(done: number, total: number): void;
  /** The run is over: erase what was drawn. */
  finish(): void;
}

export const noProgress: Progress = { update: () => undefined, finish: () => undefined };

/**
 * Whether to draw a progress bar: only on a terminal (stderr is a TTY, `TERM` is not `dumb`), never
 * in CI (`CI` set) and not with `--no-progress`. `--quiet` does not turn it off: the bar goes to
 * stderr and is erased when the run ends, so it never mixes with the report.
 */
export function progressWanted(io: Pick<CliIo, 'stderr' | 'env'>, requested: boolean): boolean {
  const ci = io.env['CI'];
  return requested && io.stderr.isTTY === true && io.env['TERM'] !== 'dumb' && (ci === undefined || ci === '' || ci === 'false' || ci === '0');
}

export interface ProgressOptions {
  /** Nothing is drawn before this many milliseconds: short runs never flash a bar. */
  readonly delayMs?: number;
  /** Redraws at most this often. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/**
 * A bar redrawn in place on `stream` (a terminal): `[=====>    ] 1234/5000 files`. It appears only
 * once the run has taken `delayMs`, is redrawn at most every `intervalMs`, and is erased at the end.
 */
export function progressBar(stream: OutputStream, options: ProgressOptions = {}): Progress {
  const now = options.now ?? (() => performance.now());
  const delay = options.delayMs ?? 500;
  const interval = options.intervalMs ?? 100;
  const started = now();
  let drawnAt: number | undefined;
  let last = '';
  return {
    update(done, total) {
      const t = now();
      if (t - started < delay) return;
      if (drawnAt !== undefined && t - drawnAt < interval && done < total) return;
      const line = renderBar(done, total, stream.columns ?? 80);
      if (line === last) return;
      stream.write(`\r${line}\x1b[K`);
      drawnAt = t;
      last = line;
    },
    finish() {
      if (drawnAt !== undefined) stream.write('\r\x1b[K');
      drawnAt = undefined;
      last = '';
    },
  };
}

/** `[=====>    ] 1234/5000 files`, at most `columns - 1` characters wide. */
export function renderBar(done: number, total: number, columns: number): string {
  const counts = ` ${done}/${total} files`;
  const width = Math.max(10, Math.min(40, columns - 1 - counts.length - 2));
  const filled = total > 0 ? Math.floor((width * Math.min(done, total)) / total) : width;
  const bar = filled >= width ? '='.repeat(width) : `${'='.repeat(filled)}>${' '.repeat(width - filled - 1)}`;
  return `[${bar}]${counts}`;
}
