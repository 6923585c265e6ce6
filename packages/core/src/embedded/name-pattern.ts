import type { TSESTree } from '@typescript-eslint/types';

/**
 * Members of a SQL tag that do not hold a statement: they splice raw text or build identifiers and
 * lists (`sql.raw`, `sql.unsafe`, `sql.identifier`, `sql.join` …). A wildcard never matches them;
 * a pattern that names one exactly still does.
 */
export const NON_SQL_MEMBERS: ReadonlySet<string> = new Set(['raw', 'unsafe', 'identifier', 'join', 'fragment', 'literal', 'array', 'empty']);

/** A segment that is not a name (`getPool().query`): only `*` and `**` match it. */
export const NOT_A_NAME = '<expression>';

/**
 * The dotted text of a callee or tag: `sql`, `Prisma.sql`, `this.db.query`, `pool?.query`,
 * `pool['query']`. A part that is not a name (a call, an element access by expression) becomes
 * {@link NOT_A_NAME}; undefined for nodes that are no name at all.
 */
export function dottedName(node: TSESTree.Node): string | undefined {
  const parts = nameParts(node);
  return parts?.join('.');
}

function nameParts(node: TSESTree.Node): string[] | undefined {
  // From the outermost member inwards, without recursion (member chains can be long).
  const reversed: string[] = [];
  for (let n: TSESTree.Node = node; ; ) {
    switch (n.type) {
      case 'Identifier':
        reversed.push(n.name);
        return reversed.reverse();
      case 'ThisExpression':
        reversed.push('this');
        return reversed.reverse();
      case 'Super':
        reversed.push('super');
        return reversed.reverse();
      case 'ChainExpression':
      case 'TSNonNullExpression':
        n = n.expression;
        break;
      case 'MemberExpression': {
        const property = memberName(n);
        if (property === undefined) {
          // `pool[key].query`: the part that is no name stands as `<expression>`.
          if (reversed.length === 0) return undefined;
          reversed.push(NOT_A_NAME);
          return reversed.reverse();
        }
        reversed.push(property);
        n = n.object;
        break;
      }
      default:
        // The node itself is no name: undefined; an object that is no name: `<expression>`.
        if (reversed.length === 0) return undefined;
        reversed.push(NOT_A_NAME);
        return reversed.reverse();
    }
  }
}

function memberName(node: TSESTree.MemberExpression): string | undefined {
  const p = node.property;
  if (!node.computed) return p.type === 'PrivateIdentifier' ? `#${p.name}` : p.type === 'Identifier' ? p.name : undefined;
  return p.type === 'Literal' && typeof p.value === 'string' ? p.value : undefined;
}

/**
 * A compiled name pattern: segments separated by dots, where `*` matches exactly one segment and
 * `**` any number of segments (none included). `*.query` matches `pool.query` and `this.query` but
 * not `this.pool.query`; `**.query` matches all three and a bare `query`.
 */
export class NamePattern {
  private readonly segments: readonly string[];

  constructor(readonly source: string) {
    this.segments = source.split('.');
  }

  matches(name: string): boolean {
    const parts = name.split('.');
    // A wildcard never makes `sql.raw` or `pool.unsafe` a SQL site.
    const lastSegment = this.segments[this.segments.length - 1];
    if ((lastSegment === '*' || lastSegment === '**') && NON_SQL_MEMBERS.has(parts[parts.length - 1] ?? '')) return false;
    return this.match(0, parts, 0);
  }

  /** True when the pattern has no wildcard. */
  get isExact(): boolean {
    return !this.segments.some((s) => s === '*' || s === '**');
  }

  private match(p: number, parts: readonly string[], n: number): boolean {
    const segment = this.segments[p];
    if (segment === undefined) return n === parts.length;
    if (segment === '**') {
      for (let k = n; k <= parts.length; k++) {
        if (this.match(p + 1, parts, k)) return true;
      }
      return false;
    }
    const part = parts[n];
    if (part === undefined) return false;
    if (segment !== '*' && segment !== part) return false;
    return this.match(p + 1, parts, n + 1);
  }
}

/** Matches names against a list of patterns; compiled once per list. */
export class NameMatcher {
  readonly patterns: readonly NamePattern[];
  /** The last segments of the patterns, when none is a wildcard: a name ending otherwise cannot match. */
  private readonly lastSegments: ReadonlySet<string> | undefined;

  constructor(patterns: readonly string[]) {
    this.patterns = patterns.map((p) => new NamePattern(p));
    const lasts = patterns.map((p) => p.slice(p.lastIndexOf('.') + 1));
    this.lastSegments = lasts.some((l) => l.includes('*')) ? undefined : new Set(lasts);
  }

  matches(name: string): boolean {
    // Most callees of a file are no SQL: one set lookup rules them out.
    if (this.lastSegments && !this.lastSegments.has(name.slice(name.lastIndexOf('.') + 1))) return false;
    return this.patterns.some((p) => p.matches(name));
  }

  /**
   * Names whose members and calls build SQL fragments: each exact tag (`sql`, `Prisma.sql`) and the
   * object it is a member of (`Prisma`, whose `Prisma.join`/`Prisma.raw` build fragments).
   */
  fragmentRoots(): readonly string[] {
    const roots = new Set<string>();
    for (const p of this.patterns) {
      if (!p.isExact) continue;
      roots.add(p.source);
      const dot = p.source.lastIndexOf('.');
      if (dot > 0) roots.add(p.source.slice(0, dot));
    }
    return [...roots];
  }
}
