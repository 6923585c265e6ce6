import { Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from '../util/errors.js';
import type { ExitCode } from '../util/exit-codes.js';
import type { CliIo } from '../util/io.js';
import { AUDIT_SORTS } from './audit/aggregate.js';
import type { AuditSort } from './audit/aggregate.js';
import { DATABASE_SOURCES } from './audit/database.js';
import type { DatabaseSource } from './audit/database.js';
import { INPUT_FORMATS } from './audit/inputs.js';
import type { InputFormat } from './audit/inputs.js';
import { AUDIT_FORMATS } from './audit/render.js';
import type { AuditFormat } from './audit/render.js';
import { runAudit } from './audit/run-audit.js';
import type { ConnectionRequest, SslMode } from './connection.js';
import { DEFAULT_STATEMENT_TIMEOUT_MS, SSL_MODES, parseDuration } from './connection.js';
import { runSchemaPull } from './schema-pull.js';
import { configure, parseCount, parseShards, useColor } from '../commands/options.js';

/** The connection options as commander parses them. */
export interface ConnectionFlags {
  readonly databaseUrl?: string;
  readonly ssl?: SslMode;
  readonly sslRootCert?: string;
  readonly statementTimeout?: number;
}

/** Adds `--database-url`, `--ssl`, `--ssl-root-cert` and `--statement-timeout` to a command. */
export function addConnectionOptions(command: Command, urlHelp = 'the database, as postgres://user:password@host:port/database (default: the PG* environment variables)'): Command {
  return command
    .option('--database-url <url>', urlHelp)
    .addOption(new Option('--ssl <mode>', 'TLS: disable, prefer (default, as libpq), require, verify-ca, verify-full; overrides sslmode and PGSSLMODE').choices([...SSL_MODES]))
    .option('--ssl-root-cert <file>', 'CA certificates to verify the server with (for Aurora: global-bundle.pem); also PGSSLROOTCERT')
    .option('--statement-timeout <duration>', `statement_timeout for every query: 30s, 5000 (ms), 2min; 0 = none (default ${DEFAULT_STATEMENT_TIMEOUT_MS / 1000}s). The client waits for an answer this long plus the connect timeout`, parseTimeout);
}

/** The connection request from parsed flags. */
export function connectionRequest(flags: ConnectionFlags): ConnectionRequest {
  return {
    ...(flags.databaseUrl !== undefined && { databaseUrl: flags.databaseUrl }),
    ...(flags.ssl !== undefined && { ssl: flags.ssl }),
    ...(flags.sslRootCert !== undefined && { sslRootCert: flags.sslRootCert }),
    statementTimeoutMs: flags.statementTimeout ?? DEFAULT_STATEMENT_TIMEOUT_MS,
  };
}

function parseTimeout(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError('Expected a duration such as 30s, 500ms, 2min, or milliseconds.');
  return ms;
}


const SCHEMA_PULL_EXAMPLES = `
Examples:
  $ limitless-lint schema pull --database-url postgres://app@my-cluster.limitless-abc.eu-west-1.rds.amazonaws.com/app \\
      --ssl verify-full --ssl-root-cert global-bundle.pem
  $ PGHOST=localhost PGDATABASE=app limitless-lint schema pull --output - | less
  $ limitless-lint schema pull --check                     # CI: exit 1 when limitless.yaml is out of date
  $ limitless-lint schema pull --assume-standard --force   # plain PostgreSQL: every table standard

Reads rds_aurora.limitless_tables (modes, HASH (…) shard keys), limitless_table_collocations,
limitless_table_collocation_distributions (shard count), limitless_distributed_functions,
limitless_distributed_sequence, and pg_proc / pg_attribute / pg_index (IMMUTABLE functions, sequence
columns, keys). Only catalog queries run, under --statement-timeout. The password never appears in
any output: the target is shown as postgres://user@host:port/database.

Exit codes: 0 written (or, with --check, up to date); 1 --check found differences; 2 could not run.
`;

/** `schema pull`. */
export function schemaCommand(io: CliIo, setExitCode: (code: ExitCode) => void): Command {
  const pull = addConnectionOptions(configure(new Command('pull'), io))
    .description("Write limitless.yaml from a Limitless cluster's catalog (or compare with --check).")
    .option('-o, --output <file>', 'the manifest to write (or, with --check, to compare); - prints it', 'limitless.yaml')
    .option('--check', 'write nothing: print how the manifest differs from the database, exit 1 when it does')
    .option('--force', 'replace an existing manifest (its rules:, embedded_sql:, include:, exclude: and unknown_tables: are kept)')
    .option('--assume-standard', 'on a server without rds_aurora.limitless_tables, write every table as standard')
    .option('--shards <n>', 'shard count to write, instead of the one the catalog gives', parseShards)
    .addHelpText('after', SCHEMA_PULL_EXAMPLES)
    .action(async (options: ConnectionFlags & { output: string; check?: boolean; force?: boolean; assumeStandard?: boolean; shards?: number }) => {
      setExitCode(
        await runSchemaPull(
          {
            ...connectionRequest(options),
            output: options.output,
            check: options.check === true,
            force: options.force === true,
            assumeStandard: options.assumeStandard === true,
            ...(options.shards !== undefined && { shards: options.shards }),
          },
          io,
        ),
      );
    });
  return configure(new Command('schema'), io)
    .description('Read the schema of a live database.')
    .addCommand(pull);
}

const AUDIT_EXAMPLES = `
Examples:
  $ limitless-lint audit --database-url postgres://app@router.example.com/app     # the view, live
  $ limitless-lint audit stats.csv                       # \\copy (SELECT * FROM pg_stat_statements) TO 'stats.csv' CSV HEADER
  $ limitless-lint audit /var/log/postgresql/postgresql-*.log --format markdown > audit.md
  $ limitless-lint audit postgresql.csv --input-format csvlog --sort time --top 50

Inputs: pg_stat_statements or rds_aurora.limitless_stat_statements exports (CSV with a header, or
JSON), PostgreSQL logs (stderr format with any log_line_prefix, csvlog, jsonlog; .gz too) written with
log_min_duration_statement = 0 or log_statement = all. Logs are streamed, with a progress bar on a
terminal. Each statement is normalised (constants become $n), grouped, routed with the manifest, and
ranked by shard work = calls × fan-out. With sso_calls (limitless_stat_statements), the observed
single-shard rate is compared with the prediction.
`;

/** `audit`. */
export function auditCommand(io: CliIo, setExitCode: (code: ExitCode) => void): Command {
  return addConnectionOptions(configure(new Command('audit'), io), 'read pg_stat_statements (or rds_aurora.limitless_stat_statements) from this database')
    .description('Rank a real workload (statement statistics or logs) by estimated shard work.')
    .argument('[files...]', 'pg_stat_statements exports (CSV, JSON) or PostgreSQL log files')
    .option('-c, --config <file>', 'manifest (limitless.yaml); default: the nearest one above the working directory')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...AUDIT_FORMATS]).default('stylish'))
    .addOption(new Option('--input-format <format>', 'what the files are (default: found from their content)').choices([...INPUT_FORMATS]).default('auto'))
    .addOption(new Option('--source <view>', 'with --database-url: the view to read').choices([...DATABASE_SOURCES]).default('auto'))
    .option('--all-databases', 'with --database-url: include the statements of every database, not only the connected one')
    .addOption(new Option('--sort <key>', 'rank by shard work (calls × fan-out), total time or calls').choices([...AUDIT_SORTS]).default('work'))
    .option('--top <n>', 'statements to show (stylish, markdown); 0 shows all', parseCount, 20)
    .option('--with-parameters', 'keep the bind parameters of one execution per statement (from logs) in the JSON report; off by default, as they may be personal data')
    .option('--color', 'colours even when stdout is not a terminal')
    .option('--no-color', 'no colours')
    .addHelpText('after', AUDIT_EXAMPLES)
    .action(
      async (
        files: string[],
        options: ConnectionFlags & {
          config?: string;
          format: AuditFormat;
          inputFormat: InputFormat;
          source: DatabaseSource;
          allDatabases?: boolean;
          sort: AuditSort;
          top: number;
          color?: boolean;
          withParameters?: boolean;
        },
      ) => {
        setExitCode(
          await runAudit(
            {
              ...connectionRequest(options),
              inputs: files,
              inputFormat: options.inputFormat,
              source: options.source,
              allDatabases: options.allDatabases === true,
              ...(options.config !== undefined && { config: options.config }),
              format: options.format,
              sort: options.sort,
              top: options.top,
              color: useColor(io, options.color),
              withParameters: options.withParameters === true,
            },
            io,
          ),
        );
      },
    );
}

const VERIFY_HELP = `
With --verify, each SELECT, INSERT, UPDATE, DELETE and MERGE is also EXPLAINed on a live database
(--database-url, or the PG* variables) and the plan is compared with the static route: the
Single Shard Optimized footer, or the _fsNNNNN shard partitions the plan touches. Statements are
never run: each is PREPAREd and EXPLAINed (VERBOSE, COSTS OFF, no ANALYZE) in a READ ONLY
transaction that is rolled back, under --statement-timeout, with sample values for $1, $2 …
Exit code 1 when a plan disagrees with its static route.
  $ limitless-lint explain --verify --database-url postgres://app@router.example.com/app queries/
`;

/** Adds `--verify` and the connection options to the explain command. */
export function addVerifyOptions(command: Command): Command {
  return addConnectionOptions(command.option('--verify', 'compare each route with EXPLAIN on a live database (read-only, never executed)'), 'with --verify: the database to EXPLAIN on').addHelpText(
    'after',
    VERIFY_HELP,
  );
}

/**
 * The `verify` option of runExplain from the explain command's parsed flags.
 *
 * @throws {CliError} when connection options are given without --verify.
 */
export function verifyOption(flags: ConnectionFlags & { readonly verify?: boolean }): { verify?: ConnectionRequest } {
  if (flags.verify === true) return { verify: connectionRequest(flags) };
  if (flags.databaseUrl !== undefined || flags.ssl !== undefined || flags.sslRootCert !== undefined || flags.statementTimeout !== undefined) {
    throw new CliError('--database-url, --ssl, --ssl-root-cert and --statement-timeout are used with --verify only');
  }
  return {};
}
