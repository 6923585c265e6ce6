import type { TSESTree } from '@typescript-eslint/types';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import type { CookedText, LiteralKind } from './cook-literal.js';
import { cookLiteral } from './cook-literal.js';
import { dottedName, NameMatcher, NON_SQL_MEMBERS } from './name-pattern.js';
import type { Placeholder, PlaceholderScan } from './placeholders.js';
import { knexEscapes, scanPlaceholders } from './placeholders.js';
import { canBeSql } from './sql-like.js';
import type { NonLiteralPolicy, PlaceholderStyle } from './styles.js';
import { BUILTIN_TAGS, builtinCall, placeholderStyle } from './styles.js';
import type { Segment, SourceRange } from './sql-source-map.js';
import { SqlSourceMap } from './sql-source-map.js';
import { startsLikeStatement } from './starts-like-statement.js';
import type { AnalysableSqlSite, EmbeddedSqlOptions, SqlSite, UnknownSqlReason, UnknownSqlSite } from './types.js';

type Node = TSESTree.Node;
type ParentOf = (node: Node) => Node | undefined;
type SiteFields = Pick<SqlSite, 'origin' | 'name' | 'node' | 'range'>;

/**
 * Every SQL site of a program, in source order: tagged templates whose tag matches `options.tags`
 * and calls matching `options.calls` whose first argument holds SQL. A tagged template interpolated
 * into another site (a fragment) is part of that site, not a site of its own.
 */
export function findSqlSites(program: TSESTree.Program, options: EmbeddedSqlOptions): SqlSite[] {
  const parents = new WeakMap<Node, Node>();
  const candidates: (TSESTree.TaggedTemplateExpression | TSESTree.CallExpression)[] = [];
  const assignments: Assignment[] = [];
  // One walk collects the candidates, the parents and the assignments (for fragment variables).
  walk(program, undefined, (node, parent) => {
    // Parents are asked only of sites and of what lies between a fragment and its site.
    if (node.type === 'TaggedTemplateExpression' || node.type === 'CallExpression') {
      candidates.push(node);
      if (parent) parents.set(node, parent);
    } else {
      if (parent && PASS_THROUGH.has(node.type)) parents.set(node, parent);
      collectAssignment(node, assignments);
    }
  });
  const context = new Extraction(options, (node) => parents.get(node), program, assignments);
  const sites: SqlSite[] = [];
  // Source order, outer nodes first (object keys do not always come in source order).
  candidates.sort((a, b) => a.range[0] - b.range[0] || b.range[1] - a.range[1]);
  for (const node of candidates) {
    const site = context.siteAt(node);
    if (site) sites.push(site);
  }
  return sites;
}

/**
 * The SQL site a single tagged template or call is, if it is one. Uses `node.parent` (which ESLint
 * sets) to tell a fragment nested in another site from a site, and to find the program.
 */
export function sqlSiteAt(node: Node, options: EmbeddedSqlOptions): SqlSite | undefined {
  if (node.type !== 'TaggedTemplateExpression' && node.type !== 'CallExpression') return undefined;
  return new Extraction(options, (n) => n.parent ?? undefined, undefined).siteAt(node);
}

/**
 * Nodes that a SQL fragment can sit in on its way up to the template or call it belongs to
 * (`isNestedFragment` walks up through them; `findSqlSites` records the parents of these only).
 */
const PASS_THROUGH: ReadonlySet<string> = new Set([
  'ConditionalExpression',
  'LogicalExpression',
  'ArrayExpression',
  'SpreadElement',
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
]);

/** Matchers compiled once per options object. */
const matcherCache = new WeakMap<EmbeddedSqlOptions, Matchers>();

interface Matchers {
  /** The configured tags and the built-in ones. */
  readonly tags: NameMatcher;
  /** The configured calls only (the built-in ones are in styles.ts). */
  readonly calls: NameMatcher;
  /** `!pattern`s of `tags` and `calls`: names that are never sites. */
  readonly excludedTags: NameMatcher;
  readonly excludedCalls: NameMatcher;
  readonly fragmentRoots: readonly string[];
}

function compileMatchers(options: EmbeddedSqlOptions): Matchers {
  const split = (patterns: readonly string[]) => ({
    include: patterns.filter((p) => !p.startsWith('!')),
    exclude: patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1)),
  });
  const tags = split(options.tags);
  const calls = split(options.calls);
  const tagMatcher = new NameMatcher([...new Set([...BUILTIN_TAGS, ...tags.include])].filter((t) => !tags.exclude.includes(t)));
  return {
    tags: tagMatcher,
    calls: new NameMatcher(calls.include),
    excludedTags: new NameMatcher(tags.exclude),
    excludedCalls: new NameMatcher(calls.exclude),
    fragmentRoots: tagMatcher.fragmentRoots(),
  };
}

/** Names of variables that hold SQL fragments, per program and tag list. */
const fragmentNameCache = new WeakMap<Node, Map<string, ReadonlySet<string>>>();

class Extraction {
  private readonly tags: NameMatcher;
  private readonly calls: NameMatcher;
  private readonly excludedTags: NameMatcher;
  private readonly excludedCalls: NameMatcher;
  private readonly fragmentRoots: readonly string[];
  private fragmentNames: ReadonlySet<string> | undefined;
  /** The site being extracted. */
  private current: Node | undefined;

  constructor(
    private readonly options: EmbeddedSqlOptions,
    private readonly parentOf: ParentOf,
    private program: Node | undefined,
    /** The program's assignments, when the caller has walked it already. */
    private readonly assignments?: readonly Assignment[],
  ) {
    let matchers = matcherCache.get(options);
    if (!matchers) {
      matchers = compileMatchers(options);
      matcherCache.set(options, matchers);
    }
    this.tags = matchers.tags;
    this.calls = matchers.calls;
    this.excludedTags = matchers.excludedTags;
    this.excludedCalls = matchers.excludedCalls;
    this.fragmentRoots = matchers.fragmentRoots;
  }

  siteAt(node: TSESTree.TaggedTemplateExpression | TSESTree.CallExpression): SqlSite | undefined {
    this.current = node;
    return node.type === 'TaggedTemplateExpression' ? this.tagSite(node) : this.callSite(node);
  }

  private tagSite(node: TSESTree.TaggedTemplateExpression): SqlSite | undefined {
    const name = this.sqlTagName(node.tag);
    if (name === undefined || this.isNestedFragment(node)) return undefined;
    const base = { origin: 'tag' as const, name, node, range: node.range };
    const first = node.quasi.quasis[0];
    // slonik's sql.fragment`…` is a fragment whatever it starts with.
    if (name === 'sql.fragment' || (first && first.value.cooked != null && !startsLikeStatement(first.value.cooked))) {
      return unknown(base, 'fragment', node.quasi.range, `This \`${name}\` template is a fragment, not a whole statement: it is analysed only where it is used, and a statement that interpolates fragments is dynamic.`);
    }
    return this.build(base, [{ type: 'template', node: node.quasi, spliced: false }], 'none');
  }

  /**
   * A call whose first argument holds SQL: a configured call (any argument that can hold SQL makes
   * it a site, unknown when the SQL is not a literal), or a built-in one (styles.ts; a generic
   * name counts only with a literal). Either way the text must be able to be SQL
   * ({@link canBeSql}): `trpc.query(async () => …)` or `request.query('page=2')` is no site.
   */
  private callSite(node: TSESTree.CallExpression): SqlSite | undefined {
    const name = dottedName(node.callee);
    if (name === undefined || this.excludedCalls.matches(name)) return undefined;
    const policy: NonLiteralPolicy | undefined = this.calls.matches(name) ? 'unknown' : builtinCall(name)?.nonLiteral;
    if (policy === undefined) return undefined;
    const argument = node.arguments[0];
    if (!argument || this.isNestedFragment(node)) return undefined;
    const base = { origin: 'call' as const, name, node, range: node.range };
    const nonLiteral = (at: Node, why: NonLiteralPolicy = policy) =>
      why === 'unknown' ? unknown(base, 'non-literal-sql', at.range, `The SQL of this \`${name}\` call is not a literal, so it cannot be analysed statically.`) : undefined;
    if (argument.type === 'SpreadElement') return nonLiteral(argument);
    let sqlNode: Node = unwrap(argument);
    // pool.query(sql`…`): the template is the site.
    if (sqlNode.type === 'TaggedTemplateExpression' && this.sqlTagName(sqlNode.tag) !== undefined) return undefined;
    if (sqlNode.type === 'ObjectExpression') {
      const text = textProperty(sqlNode);
      if (text === null) return undefined;
      if (!text) return nonLiteral(sqlNode);
      sqlNode = unwrap(text);
    }
    if (!mayHoldSql(sqlNode)) return undefined;
    const pieces = collectPieces(sqlNode);
    if ('culprit' in pieces) {
      // `'SELECT … ' + where`: the text is SQL, whoever calls it.
      const head = pieces.pieces[0];
      const sqlHead = head !== undefined && head.type === 'string' && startsLikeStatement(head.node.value);
      return nonLiteral(pieces.culprit, sqlHead ? 'unknown' : policy);
    }
    let style = placeholderStyle(name);
    // knex's raw() passed to a query builder method (`.where(knex.raw('a > ?', [1]))`) is a piece of that query.
    if (style === 'knex' && name.endsWith('raw') && this.parentOf(node)?.type === 'CallExpression') return undefined;
    let bindings: Node | undefined = node.arguments[1];
    // Sequelize: `sequelize.query('… = ?', { replacements: [v] })`, or `:name` with an object, as knex reads them.
    const replacements = bindings?.type === 'ObjectExpression' ? propertyValue(bindings, 'replacements') : undefined;
    if (style === 'pg' && replacements) [style, bindings] = ['knex', replacements];
    const site = this.build(base, pieces.pieces, style, bindings);
    return site.kind === 'sql' && !canBeSql(site.sql, policy === 'unknown') ? undefined : site;
  }

  /** The dotted name of a SQL tag: the tag itself, or `sql.type` of `sql.type(Row)`…`` (slonik). */
  private sqlTagName(tag: Node): string | undefined {
    const target = unwrap(tag);
    if (target.type === 'CallExpression') {
      const callee = unwrap(target.callee);
      if (callee.type !== 'MemberExpression') return undefined;
      const object = dottedName(callee.object);
      const full = dottedName(callee);
      const member = full?.slice(full.lastIndexOf('.') + 1);
      if (object === undefined || full === undefined || member === undefined || NON_SQL_MEMBERS.has(member)) return undefined;
      return this.tags.matches(object) ? full : undefined;
    }
    const name = dottedName(target);
    return name !== undefined && this.tags.matches(name) ? name : undefined;
  }

  /** Builds the SQL text and source map of a site from its literal pieces. */
  private build(base: SiteFields, pieces: readonly Piece[], style: PlaceholderStyle, bindings?: Node): SqlSite {
    try {
      return this.assemble(base, pieces, style, bindings);
    } catch (error) {
      if (!(error instanceof NotAValue)) throw error;
      return unknown(base, 'interpolation-not-a-value', error.at, `This placeholder stands for ${error.what}, not a value, so the statement cannot be determined statically.`);
    }
  }

  private assemble(base: SiteFields, pieces: readonly Piece[], style: PlaceholderStyle, bindings?: Node): SqlSite {
    const { sourceText } = this.options;
    const parts: { texts: CookedPart[]; piece: Piece }[] = [];
    for (const piece of pieces) {
      const texts = cookPiece(piece, sourceText);
      if ('reason' in texts) return unknown(base, texts.reason, texts.at, texts.message);
      parts.push({ texts, piece });
    }
    for (const { piece } of parts) {
      if (piece.type !== 'template') continue;
      for (const expression of piece.node.expressions) {
        if (this.isFragment(expression)) {
          const at = interpolationRange(piece.node, expression);
          return unknown(base, 'dynamic-fragment', at, 'A `${…}` of this statement inserts a SQL fragment, so the statement cannot be determined statically.');
        }
      }
    }
    // A `${…}` glued to a word (`NULL${x}`, `${table}_archive`) is spliced into the SQL text itself:
    // a bind parameter there would change the tokens, so the statement is dynamic.
    for (const { texts } of parts) {
      for (let i = 0; i + 1 < texts.length; i++) {
        const before = (texts[i] as CookedPart).cooked.text;
        const after = (texts[i + 1] as CookedPart).cooked.text;
        // (Character tests, not `/[…]$/`: a regular expression anchored at the end tries every position.)
        if (isWordChar(before.charCodeAt(before.length - 1), true) || isWordChar(after.charCodeAt(0), false)) {
          return unknown(base, 'dynamic-fragment', [(texts[i] as CookedPart).end, (texts[i + 1] as CookedPart).start], 'A `${…}` of this statement is glued to SQL text, so it is part of the SQL, not a value: the statement cannot be determined statically.');
        }
      }
    }
    // Placeholders of the library (`?`, `${name}` in a string …): values become bind parameters,
    // anything else (an identifier, raw text, a list) makes the statement unknown, like a `${…}` that is no value.
    const scan = placeholderScan(style, bindings);
    // Interpolations and placeholders are numbered after the highest `$n` written in the text, so they never clash.
    let next = 1 + maxParameterNumber(parts);
    let numbers: Map<string, number> | undefined;
    const segments: Segment[] = [];
    let sql = '';
    const pushText = (text: CookedPart, from: number, to: number) => {
      // An empty quasi keeps its (empty) segment: an edit can land in it.
      if (to <= from && text.cooked.text.length > 0) return;
      const slice = sliceCooked(text, from, to);
      segments.push({ kind: 'text', sqlStart: sql.length, sqlEnd: sql.length + slice.cooked.text.length, sourceStart: slice.start, sourceEnd: slice.end, literal: text.literal, cooked: slice.cooked });
      sql += slice.cooked.text;
    };
    const pushParameter = (number: number, sourceStart: number, sourceEnd: number, spliced: boolean) => {
      const placeholder = `$${number}`;
      segments.push({ kind: 'parameter', sqlStart: sql.length, sqlEnd: sql.length + placeholder.length, sourceStart, sourceEnd, number, spliced });
      sql += placeholder;
    };
    for (const { texts, piece } of parts) {
      for (let i = 0; i < texts.length; i++) {
        const text = texts[i] as CookedPart;
        const placeholders = scan && mayHavePlaceholder(text.cooked.text, style) ? scanPlaceholders(text.cooked.text, piece.type === 'string' ? scan.inString : scan.inTemplate) : NO_PLACEHOLDERS;
        const drops = style === 'knex' ? knexEscapes(text.cooked.text) : NO_DROPS;
        let at = 0;
        let d = 0;
        for (const x of placeholders) {
          if (x.kind === 'not-a-value') throw new NotAValue(cookedRange(text, x.start, x.end), x.what);
          for (; d < drops.length && (drops[d] as number) < x.start; d++) {
            pushText(text, at, drops[d] as number);
            at = (drops[d] as number) + 1;
          }
          pushText(text, at, x.start);
          let number = x.number ?? numbers?.get(x.key);
          if (number === undefined) (numbers ??= new Map()).set(x.key, (number = next++));
          const [sourceStart, sourceEnd] = cookedRange(text, x.start, x.end);
          pushParameter(number, sourceStart, sourceEnd, true);
          at = x.end;
        }
        for (; d < drops.length; d++) {
          if ((drops[d] as number) < at) continue;
          pushText(text, at, drops[d] as number);
          at = (drops[d] as number) + 1;
        }
        pushText(text, at, text.cooked.text.length);
        const following = texts[i + 1];
        // The `${` follows this quasi's text; the `}` precedes the next one's.
        if (following) pushParameter(next++, text.end, following.start, piece.type === 'template' && piece.spliced);
      }
    }
    const map = new SqlSourceMap(segments);
    const site: AnalysableSqlSite = {
      ...base,
      kind: 'sql',
      sql,
      map,
      toSourceOffset: (offset) => map.toSourceOffset(offset),
      toSourceRange: (span) => map.toSourceRange(span),
    };
    return site;
  }

  /**
   * Whether an interpolated expression is a SQL fragment rather than a value: a nested SQL template,
   * a call or member of the tag (`sql.join(…)`, `sql(ids)`, `Prisma.empty`), a conditional or list
   * of those, or a variable that some declaration in the file assigns one.
   */
  private isFragment(expression: Node): boolean {
    const node = unwrap(expression);
    switch (node.type) {
      case 'TaggedTemplateExpression':
        return this.sqlTagName(node.tag) !== undefined || this.isFragmentRoot(node.tag);
      case 'CallExpression':
        return this.isFragmentRoot(node.callee) && !isValueHelper(node.callee);
      case 'MemberExpression':
        return this.isFragmentRoot(node);
      case 'ConditionalExpression':
        return this.isFragment(node.consequent) || this.isFragment(node.alternate);
      case 'LogicalExpression':
        return this.isFragment(node.left) || this.isFragment(node.right);
      case 'ArrayExpression':
        return node.elements.some((e) => e !== null && this.isFragment(e.type === 'SpreadElement' ? e.argument : e));
      case 'Identifier':
        return this.variablesHoldingFragments().has(node.name);
      default:
        return false;
    }
  }

  /** A name that is a tag, or a member of a tag or of its namespace (`sql.join`, `Prisma.raw`). */
  private isFragmentRoot(node: Node): boolean {
    const name = dottedName(unwrap(node));
    if (name === undefined) return false;
    return this.tags.matches(name) || this.fragmentRoots.some((root) => name === root || name.startsWith(`${root}.`));
  }

  /** Whether a tagged template sits inside another SQL template's `${…}` or a fragment helper's arguments. */
  private isNestedFragment(node: Node): boolean {
    let child = node;
    for (let parent = this.parentOf(node); parent; child = parent, parent = this.parentOf(parent)) {
      if (parent.type === 'TemplateLiteral') return (parent.expressions as readonly Node[]).includes(child);
      if (parent.type === 'CallExpression') return child !== parent.callee && this.isFragmentRoot(parent.callee) && !takesStatement(parent.callee);
      if (parent.type === 'ConditionalExpression' && child === parent.test) return false;
      if (!PASS_THROUGH.has(parent.type)) return false;
    }
    return false;
  }

  /** Variables of the file assigned a SQL fragment anywhere (by name: scope is not modelled, which errs on the side of unknown). */
  private variablesHoldingFragments(): ReadonlySet<string> {
    if (this.fragmentNames) return this.fragmentNames;
    if (!this.program && this.current) this.program = this.rootOf(this.current);
    const key = this.options.tags.join('\n');
    let byTags = this.program ? fragmentNameCache.get(this.program) : undefined;
    const cached = byTags?.get(key);
    if (cached) return (this.fragmentNames = cached);
    const names = new Set<string>();
    // Mark first, so that `let w = sql`…`; w = sql`${w} AND …`` and self-references terminate.
    this.fragmentNames = names;
    if (this.program) {
      let assignments = this.assignments;
      if (!assignments) {
        const found: Assignment[] = [];
        walk(this.program, undefined, (node) => collectAssignment(node, found));
        assignments = found;
      }
      // Repeat until stable, so that a variable assigned another fragment variable counts too.
      for (let changed = true; changed; ) {
        changed = false;
        for (const [name, value] of assignments) {
          if (!names.has(name) && this.isFragment(value)) {
            names.add(name);
            changed = true;
          }
        }
      }
      if (!byTags) fragmentNameCache.set(this.program, (byTags = new Map()));
      byTags.set(key, names);
    }
    return names;
  }

  /** The program a node belongs to (the site node: ESLint has set the parents of every node by then). */
  private rootOf(node: Node): Node | undefined {
    let root = node;
    for (let parent = this.parentOf(root); parent; parent = this.parentOf(parent)) root = parent;
    return root.type === 'Program' ? root : undefined;
  }
}

type Piece = { readonly type: 'template'; readonly node: TSESTree.TemplateLiteral; readonly spliced: boolean } | { readonly type: 'string'; readonly node: TSESTree.StringLiteral };

interface CookedPart {
  /** The raw text between the delimiters, in the source. */
  readonly start: number;
  readonly end: number;
  readonly literal: LiteralKind;
  readonly cooked: CookedText;
}

interface PieceProblem {
  readonly reason: UnknownSqlReason;
  readonly at: SourceRange;
  readonly message: string;
}

/** The literal pieces of a SQL argument: a string, an untagged template, or a `+` concatenation of those. */
function collectPieces(node: Node): { pieces: Piece[] } | { culprit: Node; pieces: Piece[] } {
  const pieces: Piece[] = [];
  // Left to right without recursion: `'a' + 'b' + …` nests to the left, thousands deep in generated code.
  const stack: Node[] = [node];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const target = unwrap(next);
    if (target.type === 'Literal' && typeof target.value === 'string') pieces.push({ type: 'string', node: target as TSESTree.StringLiteral });
    else if (target.type === 'TemplateLiteral') pieces.push({ type: 'template', node: target, spliced: true });
    else if (target.type === 'BinaryExpression' && target.operator === '+') stack.push(target.right, target.left);
    else return { culprit: target, pieces };
  }
  return { pieces };
}

/** The texts of a piece, cooked from the source and checked against the parser's own value. */
function cookPiece(piece: Piece, sourceText: string): CookedPart[] | PieceProblem {
  if (piece.type === 'string') {
    const [start, end] = [piece.node.range[0] + 1, piece.node.range[1] - 1];
    const quote = sourceText[piece.node.range[0]];
    const literal: LiteralKind = quote === "'" ? 'single' : 'double';
    const cooked = cookLiteral(sourceText.slice(start, end), literal);
    if (!cooked || cooked.text !== piece.node.value || (quote !== "'" && quote !== '"')) return unsupported(piece.node);
    return [{ start, end, literal, cooked }];
  }
  const parts: CookedPart[] = [];
  for (const quasi of piece.node.quasis) {
    // typescript-estree, espree and oxc-parser all include the delimiters (`` ` `` or `}` before, `` ` `` or `${` after).
    const start = quasi.range[0] + 1;
    const end = quasi.range[1] - (quasi.tail ? 1 : 2);
    const opening = sourceText[quasi.range[0]];
    const closing = sourceText.slice(end, quasi.range[1]);
    if ((opening !== '`' && opening !== '}') || closing !== (quasi.tail ? '`' : '${')) return unsupported(quasi);
    if (quasi.value.cooked == null) {
      return { reason: 'invalid-escape', at: quasi.range, message: 'This template holds an invalid escape sequence, so its SQL text is unknown.' };
    }
    const cooked = cookLiteral(sourceText.slice(start, end), 'template');
    if (!cooked || cooked.text !== quasi.value.cooked) return unsupported(quasi);
    parts.push({ start, end, literal: 'template', cooked });
  }
  return parts;
}

function unsupported(node: Node): PieceProblem {
  return { reason: 'unsupported-syntax', at: node.range, message: 'limitless-lint cannot read this literal; please report it.' };
}

/** The `${expr}` of an expression of a template literal. */
function interpolationRange(template: TSESTree.TemplateLiteral, expression: Node): SourceRange {
  const i = template.expressions.indexOf(expression as TSESTree.Expression);
  const before = template.quasis[i];
  const after = template.quasis[i + 1];
  return before && after ? [before.range[1] - 2, after.range[0] + 1] : expression.range;
}

/** `[A-Za-z0-9_]`, and `$` too when asked. */
function isWordChar(c: number, dollar: boolean): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || (dollar && c === 36);
}

/** The highest `$n` written in the texts of the parts (0 when there is none). */
function maxParameterNumber(parts: readonly { readonly texts: readonly CookedPart[] }[]): number {
  let max = 0;
  for (const { texts } of parts) {
    for (const { cooked } of texts) {
      if (!cooked.text.includes('$')) continue;
      for (const m of cooked.text.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
    }
  }
  return max;
}

/**
 * The `text` of a `{ text, values }` query config, when it is a plain property; undefined when a
 * spread may supply it, null when the object has none (`{ query: gql`…` }` is no SQL).
 */
function textProperty(node: TSESTree.ObjectExpression): Node | undefined | null {
  let text: Node | undefined | null = null;
  for (const property of node.properties) {
    // A spread after `text` may replace it.
    if (property.type === 'SpreadElement') text = undefined;
    else if (!property.computed && property.kind === 'init' && keyName(property.key) === 'text') text = property.value;
  }
  return text;
}

/**
 * Whether an argument can hold SQL text at all: not a function (tRPC's `.query(async () => …)`),
 * an object, an array, a number, a regular expression, a class, a `new` object, nor a template of
 * another tag whose text does not start like a statement (`gql`query { … }``).
 */
function mayHoldSql(node: Node): boolean {
  switch (node.type) {
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
    case 'ClassExpression':
    case 'ObjectExpression':
    case 'ArrayExpression':
    case 'NewExpression':
    case 'JSXElement':
    case 'JSXFragment':
    case 'UnaryExpression':
    case 'UpdateExpression':
      return false;
    case 'Literal':
      return typeof node.value === 'string';
    case 'TaggedTemplateExpression': {
      const cooked = node.quasi.quasis[0]?.value.cooked;
      return cooked != null && (startsLikeStatement(cooked) || (cooked.trim() === '' && node.quasi.expressions.length > 0));
    }
    default:
      return true;
  }
}

/** The value of a plain `key: value` property of an object literal. */
function propertyValue(node: TSESTree.ObjectExpression, key: string): Node | undefined {
  for (const property of node.properties) {
    if (property.type === 'Property' && !property.computed && property.kind === 'init' && keyName(property.key) === key) return property.value;
  }
  return undefined;
}

function keyName(key: TSESTree.PropertyName): string | undefined {
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  return undefined;
}

/**
 * Members of a SQL tag that bind a value rather than splice SQL text: Kysely's `sql.val`/`sql.lit`,
 * Drizzle's `sql.placeholder`/`sql.param`, slonik's typed values (`sql.array`, `sql.json` …).
 */
const VALUE_HELPERS: ReadonlySet<string> = new Set(['val', 'lit', 'literalValue', 'placeholder', 'param', 'array', 'json', 'jsonb', 'binary', 'date', 'timestamp', 'uuid', 'interval']);

function isValueHelper(callee: Node): boolean {
  const target = unwrap(callee);
  return target.type === 'MemberExpression' && !target.computed && target.property.type === 'Identifier' && VALUE_HELPERS.has(target.property.name);
}

/** Prisma's `$queryRaw(Prisma.sql`…`)`: a tag called with a whole statement, not a fragment builder. */
function takesStatement(callee: Node): boolean {
  const name = dottedName(unwrap(callee));
  return name !== undefined && /(?:^|\.)\$(?:queryRaw|executeRaw)$/.test(name);
}

const NO_PLACEHOLDERS: Placeholder[] = [];
const NO_DROPS: number[] = [];

/** Whether a text has a character that starts a placeholder of the style (most texts have none). */
function mayHavePlaceholder(text: string, style: PlaceholderStyle): boolean {
  if (style === 'knex') return text.includes('?') || text.includes(':') || text.includes('$');
  return text.includes('$');
}

/** A placeholder that stands for something other than a value. */
class NotAValue extends Error {
  constructor(
    readonly at: SourceRange,
    readonly what: string,
  ) {
    super(what);
  }
}

/** How to scan a call's literals for its library's placeholders: in a string (pg-promise's `${name}` too) and in a template. */
interface SiteScan {
  readonly inString: PlaceholderScan;
  readonly inTemplate: PlaceholderScan;
}

const PG_SCAN: SiteScan = { inString: { style: 'pg', curly: true, counter: { value: 0 } }, inTemplate: { style: 'pg', curly: false, counter: { value: 0 } } };

/** How to scan a call's literals (undefined: there are no placeholders to scan). */
function placeholderScan(style: PlaceholderStyle, bindings: Node | undefined): SiteScan | undefined {
  if (style === 'none') return undefined;
  if (style === 'pg') return PG_SCAN;
  const b = bindings && bindings.type !== 'SpreadElement' ? unwrap(bindings) : undefined;
  // One counter for the site: `?` are numbered across its pieces.
  const counter = { value: 0 };
  let knex: Omit<PlaceholderScan, 'curly'>;
  if (b?.type === 'ObjectExpression') {
    const keys = new Set<string>();
    let open = false;
    for (const property of b.properties) {
      const key = property.type === 'Property' && !property.computed ? keyName(property.key) : undefined;
      if (key === undefined) open = true;
      else keys.add(key);
    }
    knex = { style, knexBindings: 'named', ...(open ? {} : { knexKeys: keys }), counter };
  } else knex = { style, knexBindings: b ? 'positional' : 'none', counter };
  return { inString: { ...knex, curly: true }, inTemplate: { ...knex, curly: false } };
}

/** The source range of `[from, to)` of a literal's cooked text. */
function cookedRange(text: CookedPart, from: number, to: number): SourceRange {
  if (text.cooked.identity) return [text.start + from, text.start + to];
  return [text.start + (text.cooked.starts[from] as number), text.start + (text.cooked.ends[to - 1] as number)];
}

/** `[from, to)` of a literal's cooked text, as a literal part of its own (for a text segment). */
function sliceCooked(text: CookedPart, from: number, to: number): CookedPart {
  if (from === 0 && to === text.cooked.text.length) return text;
  const cooked = text.cooked;
  if (cooked.identity) return { start: text.start + from, end: text.start + to, literal: text.literal, cooked: { text: cooked.text.slice(from, to), starts: [], ends: [], identity: true } };
  // Offsets stay relative to the literal's start.
  return {
    start: text.start,
    end: text.start + (cooked.ends[to - 1] as number),
    literal: text.literal,
    cooked: { text: cooked.text.slice(from, to), starts: cooked.starts.slice(from, to), ends: cooked.ends.slice(from, to), identity: false },
  };
}

/** Strips what does not change a value: `as`, `satisfies`, `!`, `<T>x`. */
function unwrap(node: Node): Node {
  let n = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSTypeAssertion') n = n.expression;
  return n;
}

function unknown(base: SiteFields, reason: UnknownSqlReason, at: SourceRange, message: string): UnknownSqlSite {
  return { ...base, kind: 'unknown', reason, message, at };
}

/** A variable and a value assigned to it (`const w = …`, `w = …`). */
type Assignment = readonly [name: string, value: Node];

function collectAssignment(node: Node, out: Assignment[]): void {
  if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init) out.push([node.id.name, node.init]);
  else if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier') out.push([node.left.name, node.right]);
}

const SKIPPED_KEYS = new Set(['parent', 'loc', 'range', 'tokens', 'comments']);

/**
 * Visits every node once, parents before children, in source order. Child keys come from
 * typescript-eslint's visitor keys (the ones ESLint traverses), so that the walk does not inspect
 * every property of every node; a node type they do not know (a newer parser) falls back to all its
 * properties. An explicit stack, not recursion: a deeply nested script cannot overflow it.
 */
function walk(root: Node, rootParent: Node | undefined, visit: (node: Node, parent: Node | undefined) => void): void {
  // Two parallel stacks, no tuple or array per node: the walk sees every node of every file.
  const nodes: Node[] = [root];
  const parents: (Node | undefined)[] = [rootParent];
  const keys = visitorKeys as Readonly<Record<string, readonly string[] | undefined>>;
  while (nodes.length > 0) {
    const node = nodes.pop() as Node;
    visit(node, parents.pop());
    const childKeys = keys[node.type] ?? Object.keys(node);
    // Children pushed last first, so that they are visited in source order.
    for (let k = childKeys.length - 1; k >= 0; k--) {
      const key = childKeys[k] as string;
      if (SKIPPED_KEYS.has(key)) continue;
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) {
          const item: unknown = value[i];
          if (isNode(item)) {
            nodes.push(item);
            parents.push(node);
          }
        }
      } else if (isNode(value)) {
        nodes.push(value);
        parents.push(node);
      }
    }
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
