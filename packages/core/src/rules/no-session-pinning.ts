import { limitlessDocsUrl } from '../diagnostic.js';
import type { Node, VariableSetStmt } from 'libpg-query';
import type { Severity, Span } from '../diagnostic.js';
import { stringList, walk } from '../route/ast.js';
import type { Token } from '../sql/parser.js';
import type { Statement } from '../sql/statements.js';
import type { RuleContext } from './types.js';
import { defineRule } from './types.js';

/** docs/limitless/rds-proxy.md#what-pins-a-connection: "Any statement with a text size greater than 16 KB causes the proxy to pin the session." */
const MAX_STATEMENT_BYTES = 16 * 1024;

/** `CURSOR_OPT_HOLD` in PostgreSQL's parsenodes.h. */
const CURSOR_OPT_HOLD = 0x0020;

/** Session-level advisory locks (docs/limitless/rds-proxy.md#what-pins-a-connection); the `_xact_` variants do not pin. */
const SESSION_LOCKS = new Set(['pg_advisory_lock', 'pg_advisory_lock_shared', 'pg_try_advisory_lock', 'pg_try_advisory_lock_shared']);
/** Not named by AWS; reported as info (option `unconfirmed`). */
const SESSION_UNLOCKS = new Set(['pg_advisory_unlock', 'pg_advisory_unlock_shared', 'pg_advisory_unlock_all']);
/** docs/limitless/rds-proxy.md#what-pins-a-connection: "Manipulating sequences using functions such as nextval and setval." */
const SEQUENCE_WRITES = new Set(['nextval', 'setval']);
/** Read the session's sequence state; not named by AWS; reported as info (option `unconfirmed`). */
const SEQUENCE_READS = new Set(['currval', 'lastval']);

/** Every function name checkCalls looks at. */
const PINNING_CALLS: ReadonlySet<string> = new Set(['set_config', ...SESSION_LOCKS, ...SESSION_UNLOCKS, ...SEQUENCE_WRITES, ...SEQUENCE_READS]);

/**
 * Whether the text can call one of {@link PINNING_CALLS}: a function is named in the text (quoted or
 * not: lower-casing keeps this a superset), except through a `U&"…"` identifier, which always passes.
 * Most statements call none, and need no walk of their tree.
 */
function mayNamePinningCall(text: string): boolean {
  const lower = text.toLowerCase();
  if (lower.includes('u&')) return true;
  for (const name of PINNING_CALLS) if (lower.includes(name)) return true;
  return false;
}

/** Statements whose expressions run when the statement runs (function calls in DDL defaults or a PREPARE body do not). */
const EXECUTING = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CallStmt', 'CreateTableAsStmt', 'CopyStmt', 'DeclareCursorStmt', 'ExecuteStmt']);

const PIN_HELP_SET =
  'If every connection uses the same value, move it to the RDS Proxy initialization query (or the DB parameter group); if it is per request, use `SET LOCAL` inside a transaction. Confirm with the CloudWatch metric `DatabaseConnectionsCurrentlySessionPinned`.';

export default defineRule({
  meta: {
    id: 'no-session-pinning',
    description: 'Report statements that make RDS Proxy pin a client to one database connection',
    category: 'connections',
    defaultLevel: 'warn',
    facts: ['rds-proxy#applicability', 'rds-proxy#what-pins-a-connection', 'rds-proxy#history', 'rds-proxy#configuration-and-metrics'],
    messages: {
      setVariable: '`{{command}}` changes a session setting, which pins the client to its RDS Proxy database connection.',
      setLocal: '`{{command}}` is transaction-scoped, but whether RDS Proxy pins on it for PostgreSQL is unconfirmed.',
      setConfig: '`set_config({{name}}, …, {{isLocal}})` changes a session setting, which pins the client to its RDS Proxy database connection.',
      preparedStatement: '`{{command}}` manages a SQL-level prepared statement, which pins the client to its RDS Proxy database connection.',
      discardAll: '`{{command}}` discards the session state, which pins the client to its RDS Proxy database connection; as a pool reset query it pins every connection on release.',
      discard: '`{{command}}` discards session state, which pins the client to its RDS Proxy database connection.',
      temporaryObject: 'Creating the temporary {{kind}} `{{name}}` pins the client to its RDS Proxy database connection.',
      cursor: '`{{command}}` declares a cursor{{hold}}, which pins the client to its RDS Proxy database connection.',
      listen: '`{{command}}` listens on a notification channel, which pins the client to its RDS Proxy database connection.',
      load: '`{{command}}` loads a library module into the session, which pins the client to its RDS Proxy database connection.',
      advisoryLock: '`{{name}}()` takes a session-level advisory lock, which pins the client to its RDS Proxy database connection.',
      advisoryUnlock: '`{{name}}()` releases session-level advisory locks; RDS Proxy may pin on it as it does on the locks (unconfirmed).',
      sequenceFunction: '`{{name}}()` manipulates a sequence, which pins the client to its RDS Proxy database connection.',
      sequenceRead: '`{{name}}()` reads the session\'s sequence state; RDS Proxy may pin on it as it does on `nextval` (unconfirmed).',
      largeStatement: 'This statement is {{bytes}} bytes long; RDS Proxy pins the connection for any statement over 16 KB (16384 bytes).',
    },
    note:
      'RDS Proxy multiplexes client sessions over few database connections until a statement changes session state; then it pins the client to one connection for the rest of its session (' + limitlessDocsUrl('rds-proxy', 'what-pins-a-connection') + '), and that connection serves no one else. AWS lists RDS Proxy as unsupported in front of Aurora PostgreSQL Limitless itself (' + limitlessDocsUrl('rds-proxy', 'applicability') + '): this guards Aurora PostgreSQL behind RDS Proxy.',
    help: 'Keep session state out of request handlers, and confirm with the CloudWatch metric `DatabaseConnectionsCurrentlySessionPinned` (' + limitlessDocsUrl('rds-proxy', 'configuration-and-metrics') + ').',
    options: {
      setLocal: {
        type: 'boolean',
        default: false,
        description: 'Also report transaction-scoped settings — `SET LOCAL`, `SET TRANSACTION`, `SET CONSTRAINTS` and `set_config(…, true)` — whose pinning AWS documents only for MySQL (' + limitlessDocsUrl('rds-proxy', 'set-local') + ').',
      },
      ignoreVariables: {
        type: 'string[]',
        default: ['rds_aurora.limitless_*'],
        description: 'Setting names (case-insensitive, `*` matches any text) whose `SET`, `RESET` and `set_config` are never reported; by default the Limitless create-table variables of migrations.',
      },
      unconfirmed: {
        type: 'boolean',
        default: true,
        description: 'Also report, as info, calls AWS does not name but that touch the same session state: `currval`, `lastval` and the session advisory unlock functions.',
      },
    },
    examples: {
      invalid: ["SET statement_timeout = '5s'", "SELECT set_config('app.user_id', $1, false)", 'SELECT pg_advisory_lock(42)', 'CREATE TEMP TABLE recent_ids (id bigint)', 'DISCARD ALL'],
      valid: [
        "BEGIN; SET LOCAL statement_timeout = '5s'; COMMIT",
        "SET LOCAL rds_aurora.limitless_create_table_mode = 'sharded'",
        "SELECT set_config('app.user_id', $1, true)",
        'SELECT pg_advisory_xact_lock(42)',
      ],
    },
  },
  check(context) {
    const { statement, ast } = context;
    // Plain queries pin only through the functions they call: skip the scan their commands would need.
    const plainQuery = ('SelectStmt' in ast && !ast.SelectStmt.intoClause) || 'InsertStmt' in ast || 'UpdateStmt' in ast || 'DeleteStmt' in ast;
    if (!plainQuery) checkCommand(context, ast);
    checkCalls(context, ast);
    // A UTF-16 unit is at most 3 UTF-8 bytes: short statements need no count.
    const bytes = statement.text.length * 3 > MAX_STATEMENT_BYTES ? Buffer.byteLength(statement.text, 'utf8') : 0;
    if (bytes > MAX_STATEMENT_BYTES) {
      context.report({
        messageId: 'largeStatement',
        data: { bytes: String(bytes) },
        span: statement.tokenSpan(statement.span.start),
        help: 'Shorten the statement: pass long value lists as one array parameter (`= ANY($1)`) instead of inlined literals, or split the batch.',
      });
    }
  },
});

/** Statement-level causes: SET/RESET, PREPARE/EXECUTE/DEALLOCATE/DISCARD, temporary objects, cursors, LISTEN, LOAD. */
function checkCommand(context: RuleContext, ast: Node): void {
  // Tokens are scanned (once, by the statement) only for a command that reports: most DDL does not.
  const { statement } = context;
  const lead = (count: number) => leading(statement, statement.codeTokens(), count);
  const report = (messageId: string, span: Span, data: Record<string, string>, help?: string) => context.report({ messageId, span, data, ...(help ? { help } : {}) });

  if ('VariableSetStmt' in ast) return checkSet(context, ast.VariableSetStmt, statement.codeTokens());
  if ('ConstraintsSetStmt' in ast) {
    // SET CONSTRAINTS lasts until the end of the transaction, like SET LOCAL.
    if (context.options.setLocal === true) {
      const span = lead(2);
      report('setLocal', span, { command: commandText(statement, statement.codeTokens(), span) }, SET_LOCAL_HELP);
    }
    return;
  }
  if ('PrepareStmt' in ast || 'ExecuteStmt' in ast || 'DeallocateStmt' in ast) {
    const count = 'DeallocateStmt' in ast && statement.codeTokens()[1]?.text.toUpperCase() === 'PREPARE' ? 3 : 2;
    const span = lead(count);
    report('preparedStatement', span, { command: commandText(statement, statement.codeTokens(), span) }, PREPARED_HELP);
    return;
  }
  if ('DiscardStmt' in ast) {
    const span = lead(2);
    const all = ast.DiscardStmt.target === 'DISCARD_ALL';
    report(
      all ? 'discardAll' : 'discard',
      span,
      { command: commandText(statement, statement.codeTokens(), span) },
      all
        ? 'Do not configure `DISCARD ALL` as the connection pool\'s reset query behind RDS Proxy, and keep the state it would reset (temporary tables, prepared statements, session settings) out of the session.'
        : 'Keep the session state it discards (temporary tables, plans, sequence state) out of the session instead.',
    );
    return;
  }
  if ('ListenStmt' in ast) {
    const span = lead(2);
    report('listen', span, { command: commandText(statement, statement.codeTokens(), span) }, 'Listen on a dedicated connection that goes to the database directly, not through RDS Proxy.');
    return;
  }
  if ('LoadStmt' in ast) {
    const span = lead(2);
    report('load', span, { command: commandText(statement, statement.codeTokens(), span) }, 'Load the library for every connection through the DB parameter group (`shared_preload_libraries` or `session_preload_libraries`).');
    return;
  }
  if ('DeclareCursorStmt' in ast) {
    const d = ast.DeclareCursorStmt;
    const forAt = statement.codeTokens().findIndex((t, i) => i > 1 && t.text.toUpperCase() === 'FOR');
    const span = lead(forAt > 1 ? forAt : 2);
    const hold = ((d.options ?? 0) & CURSOR_OPT_HOLD) !== 0;
    report(
      'cursor',
      span,
      { command: commandText(statement, statement.codeTokens(), span), hold: hold ? ' that outlives its transaction' : '' },
      'Read the rows with a query and `LIMIT`, continuing from the last key read, instead of a server-side cursor.',
    );
    return;
  }
  const temp = temporaryObject(ast);
  if (temp) {
    const nameSpan = statement.nameSpan(statement.offsetOf(temp.location));
    let start = statement.span.start;
    if (temp.into) {
      // SELECT … INTO TEMP t: underline from INTO.
      const nameByte = temp.location ?? 0;
      const into = [...statement.codeTokens()].reverse().find((t) => t.start < nameByte && t.text.toUpperCase() === 'INTO');
      if (into) start = statement.offsetOf(into.start);
    }
    report(
      'temporaryObject',
      { start, end: nameSpan.end },
      { kind: temp.kind, name: statement.text.slice(nameSpan.start - statement.span.start, nameSpan.end - statement.span.start) },
      'Use a CTE, an array parameter (`unnest($1)`), or a regular table keyed by a session or request id instead of a temporary object.',
    );
  }
}

const SET_LOCAL_HELP =
  'Check the CloudWatch metric `DatabaseConnectionsCurrentlySessionPinned` while this runs; if it pins, move constant settings to the RDS Proxy initialization query.';
const PREPARED_HELP =
  'Use bind parameters of the driver (the extended query protocol) instead of SQL `PREPARE`/`EXECUTE`/`DEALLOCATE`; which protocol-level prepared statements still pin is unconfirmed (' + limitlessDocsUrl('rds-proxy', 'history') + '), so check `DatabaseConnectionsCurrentlySessionPinned`.';

function checkSet(context: RuleContext, v: VariableSetStmt, tokens: readonly Token[]): void {
  const { statement } = context;
  const name = v.name ?? '';
  const transactionScoped = v.is_local === true || name === 'TRANSACTION' || name === 'TRANSACTION SNAPSHOT';
  if (transactionScoped && context.options.setLocal !== true) return;
  if (v.kind !== 'VAR_RESET_ALL' && v.kind !== 'VAR_SET_MULTI' && isIgnored(context, name)) return;
  const span = leading(statement, tokens, setNameEnd(tokens) + 1);
  const command = commandText(statement, tokens, span);
  if (transactionScoped) context.report({ messageId: 'setLocal', span, data: { command }, help: SET_LOCAL_HELP });
  else context.report({ messageId: 'setVariable', span, data: { command }, help: PIN_HELP_SET });
}

const TWO_WORD_NAMES = new Set(['TIME ZONE', 'SESSION AUTHORIZATION', 'SESSION CHARACTERISTICS', 'XML OPTION', 'TRANSACTION SNAPSHOT']);

/** Index of the last token of `SET [SESSION | LOCAL] <name>` / `RESET <name>`. */
function setNameEnd(tokens: readonly Token[]): number {
  const word = (i: number) => tokens[i]?.text.toUpperCase() ?? '';
  const pair = (i: number) => `${word(i)} ${word(i + 1)}`;
  let k = 1;
  if (!TWO_WORD_NAMES.has(pair(k)) && (word(k) === 'SESSION' || word(k) === 'LOCAL') && tokens.length > 2) k++;
  if (TWO_WORD_NAMES.has(pair(k))) return k + 1;
  if (k >= tokens.length) return tokens.length - 1;
  while (tokens[k + 1]?.text === '.' && tokens[k + 2]) k += 2;
  return k;
}

function isIgnored(context: RuleContext, name: string): boolean {
  const patterns = context.options.ignoreVariables;
  if (!Array.isArray(patterns)) return false;
  return patterns.some((p) => typeof p === 'string' && globMatch(p, name));
}

/** Case-insensitive match of a setting name against a pattern where `*` matches any text. */
function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(name);
}

interface TemporaryObject {
  readonly kind: 'table' | 'view' | 'sequence';
  readonly location: number | undefined;
  /** `SELECT … INTO TEMP`: the name follows `INTO`, not the statement's first keywords. */
  readonly into: boolean;
}

type RangeVarLike = { relpersistence?: string; schemaname?: string; location?: number } | undefined;

function isTemporary(rel: RangeVarLike): boolean {
  // `CREATE TABLE pg_temp.t` creates a temporary table too.
  return rel?.relpersistence === 't' || (rel?.schemaname !== undefined && /^pg_temp(_\d+)?$/.test(rel.schemaname));
}

function temporaryObject(ast: Node): TemporaryObject | undefined {
  if ('CreateStmt' in ast && isTemporary(ast.CreateStmt.relation)) return { kind: 'table', location: ast.CreateStmt.relation?.location, into: false };
  if ('CreateTableAsStmt' in ast && isTemporary(ast.CreateTableAsStmt.into?.rel)) return { kind: 'table', location: ast.CreateTableAsStmt.into?.rel?.location, into: false };
  if ('SelectStmt' in ast && isTemporary(ast.SelectStmt.intoClause?.rel)) return { kind: 'table', location: ast.SelectStmt.intoClause?.rel?.location, into: true };
  if ('ViewStmt' in ast && isTemporary(ast.ViewStmt.view)) return { kind: 'view', location: ast.ViewStmt.view?.location, into: false };
  if ('CreateSeqStmt' in ast && isTemporary(ast.CreateSeqStmt.sequence)) return { kind: 'sequence', location: ast.CreateSeqStmt.sequence?.location, into: false };
  return undefined;
}

/** Function calls that pin: set_config, session advisory locks, sequence functions — in statements that run them. */
function checkCalls(context: RuleContext, ast: Node): void {
  const root = executedPart(ast);
  if (!root || !mayNamePinningCall(context.statement.text)) return;
  const { statement } = context;
  const unconfirmed = context.options.unconfirmed !== false;
  walk(root, (tag, body) => {
    if (tag !== 'FuncCall') return true;
    const names = stringList(body.funcname as Node[] | undefined);
    const name = names[names.length - 1] ?? '';
    // A user function of the same name in another schema is not the built-in.
    if (names.length > 2 || (names.length === 2 && names[0] !== 'pg_catalog')) return true;
    if (!PINNING_CALLS.has(name)) return true;
    const span = statement.nameSpan(statement.offsetOf(body.location as number | undefined));
    const report = (messageId: string, help: string, severity?: Severity) => context.report({ messageId, span, data: { name }, help, ...(severity ? { severity } : {}) });
    if (name === 'set_config') checkSetConfig(context, (body.args as Node[] | undefined) ?? [], span);
    else if (SESSION_LOCKS.has(name)) report('advisoryLock', ADVISORY_HELP);
    else if (SESSION_UNLOCKS.has(name) && unconfirmed) report('advisoryUnlock', ADVISORY_HELP, 'info');
    else if (SEQUENCE_WRITES.has(name)) report('sequenceFunction', SEQUENCE_HELP);
    else if (SEQUENCE_READS.has(name) && unconfirmed) report('sequenceRead', SEQUENCE_HELP, 'info');
    return true;
  });
}

const ADVISORY_HELP = 'Use the transaction-level `pg_advisory_xact_lock` (or `pg_try_advisory_xact_lock`) inside a transaction: RDS Proxy does not pin on transaction-level advisory locks.';
const SEQUENCE_HELP =
  'Let the column default generate the value and read it back with `RETURNING`, or generate ids in the application; confirm with `DatabaseConnectionsCurrentlySessionPinned` whether the proxy pins on a default evaluated by the server.';

/** The part of a statement whose function calls run when it runs (undefined: none do). */
function executedPart(ast: Node): Node | undefined {
  if ('ExplainStmt' in ast) {
    const analyze = (ast.ExplainStmt.options ?? []).some((o) => 'DefElem' in o && o.DefElem.defname === 'analyze' && !isFalse(o.DefElem.arg));
    return analyze && ast.ExplainStmt.query ? executedPart(ast.ExplainStmt.query) : undefined;
  }
  for (const key in ast) return EXECUTING.has(key) ? ast : undefined;
  return undefined;
}

function isFalse(arg: Node | undefined): boolean {
  return arg !== undefined && booleanConstant(arg) === false;
}

/** `set_config(name, value, is_local)`: pins unless `is_local` is the constant true (then it is like SET LOCAL). */
function checkSetConfig(context: RuleContext, args: readonly Node[], span: Span): void {
  if (args.length !== 3) return;
  const [nameArg, , localArg] = args as [Node, Node, Node];
  const name = stringConstant(nameArg);
  if (name !== undefined && isIgnored(context, name)) return;
  const isLocal = booleanConstant(localArg);
  const nameText = name !== undefined ? `'${name}'` : 'name';
  if (isLocal === true) {
    if (context.options.setLocal === true) context.report({ messageId: 'setLocal', span, data: { command: `set_config(${nameText}, …, true)` }, help: SET_LOCAL_HELP });
    return;
  }
  const localText = isLocal === false ? 'false' : 'ParamRef' in localArg ? `$${localArg.ParamRef.number ?? ''}` : '…';
  context.report({
    messageId: 'setConfig',
    span,
    data: { name: nameText, isLocal: localText },
    help: 'Pass `true` as the third argument inside a transaction so the setting ends with it, or move a setting that is the same for every connection to the RDS Proxy initialization query.',
  });
}

function stringConstant(node: Node): string | undefined {
  if ('A_Const' in node && node.A_Const.sval) return node.A_Const.sval.sval ?? '';
  if ('TypeCast' in node && node.TypeCast.arg) return stringConstant(node.TypeCast.arg);
  return undefined;
}

/** A constant boolean (`true`, `'f'`, `'on'`, `'true'::boolean` …), or undefined when not a constant. */
function booleanConstant(node: Node): boolean | undefined {
  if ('A_Const' in node) {
    const c = node.A_Const;
    if (c.boolval) return c.boolval.boolval === true;
    if (c.ival) return (c.ival.ival ?? 0) !== 0;
    if (c.sval) {
      const s = (c.sval.sval ?? '').trim().toLowerCase();
      if (['t', 'true', 'y', 'yes', 'on', '1'].includes(s)) return true;
      if (['f', 'false', 'n', 'no', 'off', '0'].includes(s)) return false;
    }
    return undefined;
  }
  if ('TypeCast' in node && node.TypeCast.arg) return booleanConstant(node.TypeCast.arg);
  return undefined;
}

/** Span of the statement's first `count` tokens (comments skipped). */
function leading(statement: Statement, tokens: readonly Token[], count: number): Span {
  const last = tokens[Math.min(count, tokens.length) - 1];
  if (!last) return statement.tokenSpan(statement.span.start);
  return { start: statement.offsetOf(tokens[0]?.start ?? 0), end: statement.offsetOf(last.end) };
}

/** The tokens of a span joined by single spaces (comments and line breaks dropped). */
function commandText(statement: Statement, tokens: readonly Token[], span: Span): string {
  return tokens
    .filter((t) => statement.offsetOf(t.start) >= span.start && statement.offsetOf(t.end) <= span.end)
    .map((t) => t.text)
    .join(' ')
    .replace(/ \. /g, '.');
}
