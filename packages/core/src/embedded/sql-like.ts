import { startsLikeStatement } from './starts-like-statement.js';

/** Statements of a single word (`client.query('BEGIN')`); other keywords alone are no SQL (`.one('update', …)` is an event). */
const ONE_WORD_STATEMENTS: ReadonlySet<string> = new Set(['ABORT', 'BEGIN', 'CHECKPOINT', 'COMMIT', 'END', 'ROLLBACK', 'VACUUM', 'ANALYZE', 'ANALYSE']);

/**
 * Whether the text of a query call can be SQL: it starts like a statement (after comments), with
 * more than one word unless that word is a whole statement (`COMMIT`), or it starts with a bind
 * parameter (`${select} FROM …`), or it reads like a statement with a misspelled first keyword
 * (`SELEC * FROM t`: a word, then a clause keyword between spaces), so that the typo is reported. So
 * `request.query('page=2')` and `emitter.one('update', f)` are no SQL sites. `typos: false` for
 * generic names: knex's `raw('EXISTS (SELECT …)')` and `raw('(SELECT …) AS t')` are fragments, not
 * misspelled or parenthesised statements.
 */
export function canBeSql(sql: string, typos = true): boolean {
  const start = significantStart(sql);
  // The first words decide; a long statement is not copied whole.
  const trimmed = sql.slice(start, start + 600);
  if (/^\$\d/.test(trimmed)) return true;
  // With a generic name, a parenthesised start is a subquery handed to a builder (`(SELECT …) AS base`).
  if (!typos && trimmed.startsWith('(')) return false;
  if (!startsLikeStatement(trimmed)) return typos && /^[A-Za-z_]+\s[^]*?\s(?:FROM|WHERE|INTO|SET|VALUES)\s/i.test(trimmed);
  if (/^[A-Za-z_]+\s*;?\s*$/.test(trimmed)) return ONE_WORD_STATEMENTS.has(trimmed.replace(/[\s;]/g, '').toUpperCase());
  return true;
}

/** The offset of the first character that is neither white space nor in a comment. */
function significantStart(sql: string): number {
  let i = 0;
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i] as string)) i++;
    if (sql.startsWith('--', i)) {
      const eol = sql.indexOf('\n', i);
      if (eol < 0) return sql.length;
      i = eol + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return i;
      i = end + 2;
    } else return i;
  }
}
