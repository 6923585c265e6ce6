// Preloaded with `node --import` into a measured child process when GNU time is not available: at
// exit, writes the process's peak resident set size (kilobytes, getrusage's ru_maxrss) to the file
// named by BENCH_MAXRSS_FILE. Costs nothing measurable: one listener, one write at exit.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_MAXRSS_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, `${process.resourceUsage().maxRSS}\n`);
  });
}
