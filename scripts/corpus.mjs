#!/usr/bin/env node
// Runs the analyzer over every .sql file below a folder and accounts for every statement: proof that
// it never crashes on real SQL, and a throughput figure.
//
// Usage:
//   pnpm corpus <dir>                 # builds first (tsc -b), then runs this script
//   node scripts/corpus.mjs <dir>     # uses the already built packages/core/dist
//
// Walks <dir> recursively (sorted; node_modules and dot-directories skipped), runs analyzeSql on each
// file and prints one table. An exception thrown by analyzeSql is a crash: the script prints the file,
// the error and each statement of the file that crashes on its own, and exits 1. Exit 2: bad usage.
//
// No dependencies beyond Node itself and the built core.

import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeSql, LineIndex, loadParser, splitStatements } from '../packages/core/dist/index.js';
import { filesBelow } from './lib/files.mjs';

/** One line describing a thrown value: its message, or its first stack frame too when there is one. */
function describeError(error) {
  if (!(error instanceof Error)) return String(error);
  const frame = error.stack?.split('\n').find((line) => line.trimStart().startsWith('at '));
  return frame ? `${error.message} (${frame.trim()})` : error.message;
}

/** The statements of a crashing file that crash on their own, with where they start. */
function crashingStatements(text) {
  const lines = new LineIndex(text);
  const culprits = [];
  for (const statement of splitStatements(text).statements) {
    try {
      analyzeSql(statement.text);
    } catch (error) {
      const { line, column } = lines.positionAt(statement.start);
      const preview = statement.text.replace(/\s+/g, ' ').slice(0, 120);
      culprits.push({ line, column, preview, error: describeError(error) });
    }
  }
  return culprits;
}

const dir = process.argv[2];
if (!dir || process.argv.length > 3) {
  process.stderr.write('usage: node scripts/corpus.mjs <dir>\n');
  process.exit(2);
}
const root = resolve(dir);
let files;
try {
  files = filesBelow(root, '.sql');
} catch (error) {
  process.stderr.write(`corpus: cannot read ${dir}: ${describeError(error)}\n`);
  process.exit(2);
}
if (files.length === 0) {
  process.stderr.write(`corpus: no .sql files below ${dir}\n`);
  process.exit(2);
}

await loadParser();
const totals = {
  files: 0,
  statements: 0,
  parsed: 0,
  parseErrors: 0,
  crashes: 0,
  metaCommands: 0,
  copyDataBlocks: 0,
  emptyStatements: 0,
  bytes: 0,
  ms: 0,
};
for (const file of files) {
  const bytes = readFileSync(file);
  const text = bytes.toString('utf8');
  totals.files++;
  totals.bytes += bytes.length;
  const started = performance.now();
  try {
    const { stats } = analyzeSql(text, { fileName: file });
    totals.ms += performance.now() - started;
    totals.statements += stats.statements;
    totals.parsed += stats.parsed;
    totals.parseErrors += stats.parseErrors;
    totals.metaCommands += stats.metaCommands;
    totals.copyDataBlocks += stats.copyDataBlocks;
    totals.emptyStatements += stats.emptyStatements;
  } catch (error) {
    totals.ms += performance.now() - started;
    totals.crashes++;
    const name = relative(process.cwd(), file);
    process.stderr.write(`CRASH ${name}: ${describeError(error)}\n`);
    const culprits = crashingStatements(text);
    if (culprits.length === 0) process.stderr.write('  no single statement crashes on its own: the file as a whole does\n');
    for (const c of culprits) {
      process.stderr.write(`  ${name}:${c.line}:${c.column}: ${c.error}\n    ${c.preview}\n`);
    }
  }
}

const rate = totals.ms > 0 ? Math.round(totals.statements / (totals.ms / 1000)) : 0;
const rows = [
  ['files', totals.files],
  ['statements', totals.statements],
  ['parsed', totals.parsed],
  ['parse errors', totals.parseErrors],
  ['crashes', totals.crashes],
  ['meta-commands skipped', totals.metaCommands],
  ['COPY data blocks skipped', totals.copyDataBlocks],
  ['empty statements', totals.emptyStatements],
  ['bytes', totals.bytes],
  ['time (ms)', Math.round(totals.ms)],
  ['statements/s', rate],
];
const labelWidth = Math.max(...rows.map(([label]) => label.length));
const valueWidth = Math.max(...rows.map(([, value]) => value.toLocaleString('en-US').length));
process.stdout.write(`corpus: ${relative(process.cwd(), root) || '.'}\n`);
for (const [label, value] of rows) {
  process.stdout.write(`  ${label.padEnd(labelWidth)}  ${value.toLocaleString('en-US').padStart(valueWidth)}\n`);
}
process.exitCode = totals.crashes > 0 ? 1 : 0;
