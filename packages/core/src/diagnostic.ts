/** Half-open `[start, end)` offsets into the analysed SQL text (JavaScript string indices). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** A rule's configured level; `off` disables it. */
export type RuleLevel = 'off' | 'info' | 'warn' | 'error';

export interface Edit {
  readonly span: Span;
  readonly text: string;
}

export interface Suggestion {
  readonly message: string;
  readonly edits: readonly Edit[];
}

export interface Label {
  readonly span: Span;
  readonly message: string;
}

/**
 * One finding. Core returns data only: positions are offsets into the text it was given; reporters
 * turn them into lines and columns with a {@link LineIndex}.
 */
export interface Diagnostic {
  readonly ruleId: string;
  /** camelCase and stable; the ESLint plugin reuses it verbatim. */
  readonly messageId: string;
  readonly data: Readonly<Record<string, string>>;
  /** What is wrong: one sentence, no rule id (reporters add it). */
  readonly message: string;
  readonly severity: Severity;
  readonly span: Span;
  readonly labels: readonly Label[];
  /** Why it matters on Limitless. */
  readonly note?: string;
  /** What to do. */
  readonly help?: string;
  readonly suggestions: readonly Suggestion[];
  readonly docsUrl: string;
  /** Index of the statement it concerns in its text's `statements` (absent for file-level findings). */
  readonly statement?: number;
}

const REPOSITORY_DOCS_URL = 'https://github.com/limitless-lint/limitless-lint/blob/main/docs/';

export const DOCS_BASE_URL = `${REPOSITORY_DOCS_URL}rules/`;

/** The documentation page of a rule, computed from its id (never typed by hand). */
export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}

/** The pages of docs/limitless/: the Aurora Limitless and RDS Proxy facts the rules rest on. */
export type LimitlessDocsPage = 'README' | 'tables' | 'routing' | 'unsupported' | 'sequences' | 'system-views' | 'rds-proxy';

/**
 * The link to a section of docs/limitless/ for messages and notes, e.g.
 * `limitlessDocsUrl('routing', 'joins')`; the anchor is the section heading's GitHub slug.
 */
export function limitlessDocsUrl(page: LimitlessDocsPage, anchor?: string): string {
  return `${REPOSITORY_DOCS_URL}limitless/${page}.md${anchor !== undefined ? `#${anchor}` : ''}`;
}

export function levelToSeverity(level: RuleLevel): Severity | undefined {
  switch (level) {
    case 'off':
      return undefined;
    case 'info':
      return 'info';
    case 'warn':
      return 'warning';
    case 'error':
      return 'error';
  }
}
