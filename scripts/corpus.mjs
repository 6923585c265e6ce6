#!/usr/bin/env node
// Runs the analyzer over every .sql file below a folder and accounts for every statement: proof that
// it never crashes on real SQL, and a throughput figure.
//
// Usage:
//   pnpm corpus <dir>                 # builds first (tsc -b), then runs this script
//   node scripts/corpus.mjs <dir>     # uses the already built packages/core/dist
//
// Walks <dir> recursively (sorted; node_modules and dot-directories skipped), runs analyzeSql on each
// file and prints, per file that did not go through whole, what was not analysed and why (statements
// that did not parse, statements not analysed with their cause, internal errors, psql meta-commands,
// COPY data and empty statements skipped), then one table of totals with the causes counted: nothing is
// dropped without a count. An exception thrown by analyzeSql is a crash: the script prints the file,
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
  unanalysable: 0,
  internalErrors: 0,
  crashes: 0,
  metaCommands: 0,
  metaCommandChars: 0,
  copyDataBlocks: 0,
  copyDataChars: 0,
  unterminatedCopyData: 0,
  emptyStatements: 0,
  bytes: 0,
  ms: 0,
};
/** Causes of statements not analysed, counted over the corpus: `parse-error: <message>`, `unanalysable: <why>` … */
const causes = new Map();
const countCause = (cause) => causes.set(cause, (causes.get(cause) ?? 0) + 1);

/** A parse error's message without what varies from statement to statement (the token quoted). */
function causeOf(d) {
  if (d.ruleId === 'parse-error') return `parse-error: ${d.message.replace(/^PostgreSQL cannot parse this statement: /, '').replace(/ at or near ".*"\.?$/s, ' at or near …').replace(/\.$/, '')}`;
  if (d.ruleId === 'unanalysable') return `unanalysable (${d.messageId})`;
  return `internal-error: ${d.message}`;
}

/** One line per file that did not go through whole: its counts and the first position of each cause. */
function fileLine(name, text, result) {
  const { stats, skipped, diagnostics } = result;
  const lines = new LineIndex(text);
  const notes = [];
  const first = new Map();
  for (const d of diagnostics) {
    if (d.ruleId !== 'parse-error' && d.ruleId !== 'unanalysable' && d.ruleId !== 'internal-error') continue;
    const cause = causeOf(d);
    countCause(cause);
    if (!first.has(cause)) first.set(cause, { at: lines.positionAt(d.span.start), n: 0 });
    first.get(cause).n++;
  }
  for (const [cause, { at, n }] of first) notes.push(`${n} × ${cause} (first at ${at.line}:${at.column})`);
  if (stats.metaCommands > 0) notes.push(`${stats.metaCommands} meta-command line(s) skipped (${skipped.metaCommandChars} characters)`);
  if (stats.copyDataBlocks > 0) notes.push(`${stats.copyDataBlocks} COPY data block(s) skipped (${skipped.copyDataChars} characters${skipped.unterminatedCopyData > 0 ? `, ${skipped.unterminatedCopyData} without a \\. line` : ''})`);
  if (stats.emptyStatements > 0) notes.push(`${stats.emptyStatements} empty statement(s)`);
  if (notes.length === 0) return undefined;
  return `${name}: ${stats.statements} statements\n${notes.map((n) => `    ${n}`).join('\n')}\n`;
}
for (const file of files) {
  const bytes = readFileSync(file);
  const text = bytes.toString('utf8');
  totals.files++;
  totals.bytes += bytes.length;
  const started = performance.now();
  try {
    const result = analyzeSql(text, { fileName: file });
    totals.ms += performance.now() - started;
    const { stats, skipped } = result;
    totals.statements += stats.statements;
    totals.parsed += stats.parsed;
    totals.parseErrors += stats.parseErrors;
    totals.unanalysable += skipped.unanalysable;
    totals.internalErrors += result.diagnostics.filter((d) => d.ruleId === 'internal-error').length;
    totals.metaCommands += stats.metaCommands;
    totals.metaCommandChars += skipped.metaCommandChars;
    totals.copyDataBlocks += stats.copyDataBlocks;
    totals.copyDataChars += skipped.copyDataChars;
    totals.unterminatedCopyData += skipped.unterminatedCopyData;
    totals.emptyStatements += stats.emptyStatements;
    const line = fileLine(relative(process.cwd(), file), text, result);
    if (line) process.stdout.write(line);
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
  ['parsed, not analysed (unanalysable)', totals.unanalysable],
  ['internal errors', totals.internalErrors],
  ['crashes', totals.crashes],
  ['meta-commands skipped', totals.metaCommands],
  ['  their characters', totals.metaCommandChars],
  ['COPY data blocks skipped', totals.copyDataBlocks],
  ['  their characters', totals.copyDataChars],
  ['  without a \\. line', totals.unterminatedCopyData],
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
if (causes.size > 0) {
  process.stdout.write('causes of statements not analysed:\n');
  for (const [cause, n] of [...causes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    process.stdout.write(`  ${n.toLocaleString('en-US').padStart(valueWidth)}  ${cause}\n`);
  }
}
process.exitCode = totals.crashes > 0 ? 1 : 0;
