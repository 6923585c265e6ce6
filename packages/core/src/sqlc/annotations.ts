import type { Span } from '../diagnostic.js';

/** sqlc's query commands (`-- name: GetAccount :one`). */
export const SQLC_COMMANDS = ['one', 'many', 'exec', 'execrows', 'execresult', 'execlastid', 'batchexec', 'batchone', 'batchmany', 'copyfrom'] as const;
export type SqlcCommand = (typeof SQLC_COMMANDS)[number];

/** The annotation that names a sqlc query. */
export interface SqlcAnnotation {
  readonly name: string;
  readonly command: SqlcCommand;
  readonly span: Span;
}

const ANNOTATION = /^(?:--|\/\*)\s*name:\s*([A-Za-z_][\w]*)\s*:([a-z]+)\b/;

/** The sqlc annotation a comment holds, if it is one (`-- name: X :kind` or `/* name: X :kind *\/`). */
export function sqlcAnnotation(text: string, comment: Span): SqlcAnnotation | undefined {
  const m = ANNOTATION.exec(text.slice(comment.start, Math.min(comment.end, comment.start + 200)));
  if (!m) return undefined;
  const command = m[2] as SqlcCommand;
  if (!(SQLC_COMMANDS as readonly string[]).includes(command)) return undefined;
  return { name: m[1] as string, command, span: comment };
}

/** Whether a text looks like a sqlc query file: some line is a `-- name: X :kind` annotation. */
export function hasSqlcAnnotations(text: string): boolean {
  // A substring search first: the line-anchored pattern costs more over files that have none.
  return text.includes('name:') && /^[ \t]*--\s*name:\s*[A-Za-z_]\w*\s*:(?:one|many|exec|execrows|execresult|execlastid|batchexec|batchone|batchmany|copyfrom)\b/m.test(text);
}

/**
 * Whether the command runs the statement for many parameter rows at once: `:copyfrom` loads rows
 * with COPY, `:batch*` queue one execution per element. The statement's fan-out is then the union
 * over the rows.
 */
export function manyRowsWhy(command: SqlcCommand): string | undefined {
  if (command === 'copyfrom') return `sqlc :copyfrom loads many parameter rows with one COPY`;
  if (command.startsWith('batch')) return `sqlc :${command} runs it for every element of a batch`;
  return undefined;
}
