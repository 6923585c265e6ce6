/**
 * First keywords of PostgreSQL statements (the commands of the SQL Commands reference, plus `END`,
 * `TABLE`, `VALUES` and a parenthesised query).
 */
const STATEMENT_KEYWORDS: ReadonlySet<string> = new Set([
  'ABORT', 'ALTER', 'ANALYZE', 'ANALYSE', 'BEGIN', 'CALL', 'CHECKPOINT', 'CLOSE', 'CLUSTER', 'COMMENT', 'COMMIT',
  'COPY', 'CREATE', 'DEALLOCATE', 'DECLARE', 'DELETE', 'DISCARD', 'DO', 'DROP', 'END', 'EXECUTE', 'EXPLAIN',
  'FETCH', 'GRANT', 'IMPORT', 'INSERT', 'LISTEN', 'LOAD', 'LOCK', 'MERGE', 'MOVE', 'NOTIFY', 'PREPARE',
  'REASSIGN', 'REFRESH', 'REINDEX', 'RELEASE', 'RESET', 'REVOKE', 'ROLLBACK', 'SAVEPOINT', 'SECURITY',
  'SELECT', 'SET', 'SHOW', 'START', 'TABLE', 'TRUNCATE', 'UNLISTEN', 'UPDATE', 'VACUUM', 'VALUES', 'WITH',
]);

/**
 * Whether a SQL text starts like a statement (after whitespace and comments), rather than like a
 * fragment meant to be interpolated into one (`AND account_id = $1`, `ORDER BY created_at`,
 * `account_id = $1`). A tagged template holding a fragment is not analysed on its own: parsing it
 * would report a syntax error that is not there.
 */
export function startsLikeStatement(sql: string): boolean {
  let i = 0;
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i] as string)) i++;
    if (sql.startsWith('--', i)) {
      const eol = sql.indexOf('\n', i);
      if (eol < 0) return false;
      i = eol + 1;
    } else if (sql.startsWith('/*', i)) {
      i = skipBlockComment(sql, i);
      if (i < 0) return false;
    } else break;
  }
  // A parenthesised query, `(SELECT …) UNION (…)`; not a parenthesised expression (`("a" + "b")`, a Kysely fragment).
  if (sql[i] === '(') {
    while (i < sql.length && (sql[i] === '(' || /\s/.test(sql[i] as string))) i++;
    const inner = /^[A-Za-z_]+/.exec(sql.slice(i, i + 16))?.[0]?.toUpperCase();
    return inner === 'SELECT' || inner === 'WITH' || inner === 'VALUES' || inner === 'TABLE';
  }
  const word = /^[A-Za-z_]+/.exec(sql.slice(i, i + 16))?.[0];
  return word !== undefined && STATEMENT_KEYWORDS.has(word.toUpperCase());
}

/** The offset after a (nested) block comment starting at `at`, or -1 when it is not closed. */
function skipBlockComment(sql: string, at: number): number {
  let depth = 0;
  let i = at;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return -1;
}
