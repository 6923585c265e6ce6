import type { OutputStream } from '../../util/io.js';
import { printable } from '../../reporters/printable.js';

/**
 * A one-line progress bar on stderr, for reading large logs: redrawn at most ten times a second,
 * only when stderr is a terminal (never in CI logs or when redirected), and erased at the end.
 */
export class ProgressBar {
  private last = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(
    private readonly stream: OutputStream,
    private readonly label: string,
    private readonly total: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a bar is drawn at all. */
  get active(): boolean {
    return this.stream.isTTY === true && this.total > 0;
  }

  update(done: number): void {
    if (!this.active) return;
    const t = this.now();
    if (t - this.last < 100 && done < this.total) return;
    this.last = t;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 60));
    const fraction = Math.min(1, done / this.total);
    const filled = Math.round(fraction * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const label = printable(this.label.length > 30 ? `…${this.label.slice(-29)}` : this.label);
    this.stream.write(`\r\u001b[2K${bar} ${String(Math.floor(fraction * 100)).padStart(3)}% ${formatBytes(done)} of ${formatBytes(this.total)}  ${label}`);
    this.drawn = true;
  }

  /** Erases the bar. */
  done(): void {
    if (this.drawn) this.stream.write('\r\u001b[2K');
    this.drawn = false;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
