import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { progressBar, progressWanted, renderBar } from '../src/run/progress.js';
import { runCli } from './run-cli.js';

/** A stream that records what is written, and a clock the test moves. */
function terminal(columns = 80) {
  const writes: string[] = [];
  let now = 0;
  return {
    stream: { write: (chunk: string) => writes.push(chunk), isTTY: true, columns },
    writes,
    clock: { now: () => now, advance: (ms: number) => (now += ms) },
  };
}

describe('the progress bar', () => {
  it('renders as [=====>    ] done/total files within the terminal width', () => {
    expect(renderBar(0, 10, 80)).toBe(`[>${' '.repeat(39)}] 0/10 files`);
    expect(renderBar(5, 10, 80)).toBe(`[${'='.repeat(20)}>${' '.repeat(19)}] 5/10 files`);
    expect(renderBar(10, 10, 80)).toBe(`[${'='.repeat(40)}] 10/10 files`);
    expect(renderBar(1234, 5000, 40)).toBe(`[=====>${' '.repeat(15)}] 1234/5000 files`);
    expect(renderBar(1234, 5000, 40).length).toBeLessThan(40);
  });

  it('appears only after the delay, redraws at most every interval, and is erased at the end', () => {
    const { stream, writes, clock } = terminal();
    const bar = progressBar(stream, { now: clock.now, delayMs: 500, intervalMs: 100 });
    bar.update(1, 100);
    clock.advance(499);
    bar.update(2, 100);
    expect(writes).toEqual([]);
    clock.advance(1);
    bar.update(3, 100);
    clock.advance(50);
    bar.update(4, 100);
    clock.advance(50);
    bar.update(5, 100);
    bar.update(100, 100);
    bar.finish();
    expect(writes).toEqual([`\r${renderBar(3, 100, 80)}\x1b[K`, `\r${renderBar(5, 100, 80)}\x1b[K`, `\r${renderBar(100, 100, 80)}\x1b[K`, '\r\x1b[K']);
  });

  it('never draws anything for a run shorter than the delay', () => {
    const { stream, writes, clock } = terminal();
    const bar = progressBar(stream, { now: clock.now });
    for (let i = 0; i <= 50; i++) bar.update(i, 50);
    bar.finish();
    expect(writes).toEqual([]);
  });

  it('is wanted only on a terminal, outside CI, without --no-progress', () => {
    const tty = { stderr: { write: () => true, isTTY: true }, env: {} };
    expect(progressWanted(tty, true)).toBe(true);
    expect(progressWanted(tty, false)).toBe(false);
    expect(progressWanted({ ...tty, stderr: { write: () => true } }, true)).toBe(false);
    expect(progressWanted({ ...tty, env: { CI: 'true' } }, true)).toBe(false);
    expect(progressWanted({ ...tty, env: { CI: 'false' } }, true)).toBe(true);
    expect(progressWanted({ ...tty, env: { TERM: 'dumb' } }, true)).toBe(false);
  });

  it('leaves stderr clean when it is not a terminal, and --no-progress is accepted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'limitless-lint-progress-'));
    try {
      writeFileSync(join(dir, 'a.sql'), 'SELECT 1;\n');
      writeFileSync(join(dir, 'limitless.yaml'), 'shards: 16\n');
      const piped = await runCli(['.'], { cwd: dir });
      expect(piped).toMatchObject({ code: 0, stderr: '' });
      const off = await runCli(['--no-progress', '.'], { cwd: dir, stderrTty: true });
      expect(off).toMatchObject({ code: 0, stderr: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
