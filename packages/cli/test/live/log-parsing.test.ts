import { describe, expect, it } from 'vitest';
import { parseCsv, CsvReader } from '../../src/live/audit/csv.js';
import type { LogEvent } from '../../src/live/audit/log-messages.js';
import { StderrLogReader, csvlogEvent, interpretLogEvent, jsonlogEvent, parseParameters } from '../../src/live/audit/log-messages.js';

function events(lines: readonly string[]): LogEvent[] {
  const reader = new StderrLogReader();
  const out: LogEvent[] = [];
  for (const line of lines) {
    const e = reader.line(line);
    if (e) out.push(e);
  }
  const last = reader.end();
  if (last) out.push(last);
  return out;
}

describe('StderrLogReader', () => {
  // The same two messages under log_line_prefix settings seen in the wild.
  const prefixes: { name: string; prefix: string; session?: string }[] = [
    { name: "PostgreSQL's default '%m [%p] '", prefix: '2026-11-27 06:58:58.988 UTC [25430] ', session: '25430' },
    { name: "Debian's '%m [%p] %q%u@%d '", prefix: '2026-11-27 06:58:58.988 UTC [25430] app@router ', session: '25430' },
    { name: "RDS's '%t:%r:%u@%d:[%p]:'", prefix: '2026-11-27 06:58:58 UTC:10.0.1.23(53322):app@orders:[8811]:', session: '8811' },
    { name: "pgBadger's '%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h '", prefix: '2026-11-27 06:58:58 UTC [4242]: [3-1] user=app,db=orders,app=psql,client=10.0.0.5 ', session: '4242' },
    { name: "an empty prefix ''", prefix: '' },
  ];
  for (const { name, prefix, session } of prefixes) {
    it(`reads ${name}`, () => {
      const read = events([
        `${prefix}LOG:  duration: 0.551 ms  execute <unnamed>: SELECT account_id`,
        '\tFROM accounts',
        '\tWHERE account_id = $1',
        `${prefix}DETAIL:  parameters: $1 = '5'`,
        `${prefix}LOG:  duration: 0.064 ms  statement: SELECT 1`,
      ]);
      expect(read).toEqual([
        { severity: 'LOG', message: 'duration: 0.551 ms  execute <unnamed>: SELECT account_id\nFROM accounts\nWHERE account_id = $1', detail: "parameters: $1 = '5'", ...(session && { session }) },
        { severity: 'LOG', message: 'duration: 0.064 ms  statement: SELECT 1', ...(session && { session }) },
      ]);
    });
  }

  it('keeps HINT, CONTEXT and STATEMENT lines out of the message and takes untabbed continuation lines', () => {
    const read = events([
      '2026-11-27 06:58:58.990 UTC [1] ERROR:  syntax error at or near "SELEC" at character 1',
      '2026-11-27 06:58:58.990 UTC [1] STATEMENT:  SELEC 1',
      '2026-11-27 06:58:58.991 UTC [1] LOG:  statement: SELECT a',
      'FROM t',
      '2026-11-27 06:58:58.991 UTC [1] HINT:  a hint',
      '\tthat goes on',
    ]);
    expect(read.map((e) => [e.severity, e.message])).toEqual([
      ['ERROR', 'syntax error at or near "SELEC" at character 1'],
      ['LOG', 'statement: SELECT a\nFROM t'],
    ]);
  });
});

describe('interpretLogEvent', () => {
  const entry = (event: LogEvent) => {
    const c = interpretLogEvent(event);
    return c.kind === 'entry' ? c.entry : c;
  };

  it('counts statement and execute lines as calls, parse and bind as time only', () => {
    expect(entry({ severity: 'LOG', message: 'duration: 1.5 ms  statement: SELECT 1' })).toEqual({ query: 'SELECT 1', calls: 1, totalTimeMs: 1.5 });
    expect(entry({ severity: 'LOG', message: 'duration: 0.2 ms  execute S_1: SELECT $1', detail: "parameters: $1 = 'x'", session: '7' })).toEqual({
      query: 'SELECT $1',
      calls: 1,
      totalTimeMs: 0.2,
      parameters: ['x'],
      session: '7',
    });
    expect(entry({ severity: 'LOG', message: 'duration: 0.4 ms  parse <unnamed>: SELECT $1' })).toMatchObject({ calls: 0, totalTimeMs: 0.4 });
    expect(entry({ severity: 'LOG', message: 'duration: 0.1 ms  bind S_2: SELECT $1' })).toMatchObject({ calls: 0, totalTimeMs: 0.1 });
    expect(entry({ severity: 'LOG', message: 'execute fetch from S_1/C_2: SELECT * FROM t' })).toMatchObject({ query: 'SELECT * FROM t', calls: 1, totalTimeMs: 0 });
  });

  it('reads log_statement lines and bare durations (log_duration)', () => {
    expect(entry({ severity: 'LOG', message: 'statement: UPDATE t SET a = 1' })).toEqual({ query: 'UPDATE t SET a = 1', calls: 1, totalTimeMs: 0 });
    expect(entry({ severity: 'LOG', message: 'duration: 3.25 ms', session: '99' })).toEqual({ kind: 'duration', session: '99', ms: 3.25 });
  });

  it('replaces a SQL-level EXECUTE by the statement its DETAIL says was prepared', () => {
    expect(entry({ severity: 'LOG', message: 'duration: 0.050 ms  statement: EXECUTE p(41)', detail: 'prepare: PREPARE p(int) AS SELECT $1 + 1' })).toMatchObject({
      query: 'PREPARE p(int) AS SELECT $1 + 1',
      calls: 1,
    });
  });

  it('ignores errors and other messages', () => {
    expect(entry({ severity: 'ERROR', message: 'relation "refunds" does not exist' })).toEqual({ kind: 'none' });
    expect(entry({ severity: 'LOG', message: 'checkpoint starting: time' })).toEqual({ kind: 'none' });
  });

  it('parses bind parameters, quotes and NULLs', () => {
    expect(parseParameters("$1 = '5', $2 = NULL, $3 = 'it''s, ok', $5 = ''")).toEqual(['5', null, "it's, ok", null, '']);
  });
});

describe('csvlog and jsonlog records', () => {
  it('reads the severity, message, detail and session of a csvlog record', () => {
    const [record] = parseCsv(
      '2026-11-27 06:58:58.991 UTC,"postgres","router",25430,"127.0.0.1:51710",6b092a32.6356,13,"EXECUTE",2026-11-27 06:58:58 UTC,3/0,0,LOG,00000,"duration: 0.050 ms  statement: EXECUTE p(41)","prepare: PREPARE p(int) AS SELECT $1 + 1",,,,,,,,,"","client backend",,6113923181536234790\n',
    );
    expect(csvlogEvent(record ?? [])).toEqual({
      severity: 'LOG',
      message: 'duration: 0.050 ms  statement: EXECUTE p(41)',
      detail: 'prepare: PREPARE p(int) AS SELECT $1 + 1',
      session: '6b092a32.6356',
    });
  });

  it('reads a jsonlog line', () => {
    const line = JSON.parse('{"timestamp":"2026-11-27 06:58:58.991 UTC","pid":25430,"session_id":"6b092a32.6356","error_severity":"LOG","message":"duration: 0.050 ms  statement: SELECT 1"}');
    expect(jsonlogEvent(line)).toEqual({ severity: 'LOG', message: 'duration: 0.050 ms  statement: SELECT 1', session: '6b092a32.6356' });
    expect(jsonlogEvent({ message: 'no severity' })).toBeUndefined();
  });
});

describe('CsvReader', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, LF or CRLF', () => {
    expect(parseCsv('a,b,c\n1,"x, ""y""",\r\n2,"multi\nline",z')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, "y"', ''],
      ['2', 'multi\nline', 'z'],
    ]);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const text = 'query,calls\n"SELECT ""a"", 1\nFROM t",3\nSELECT 2,4\n';
    const whole = parseCsv(text);
    for (let size = 1; size <= 7; size++) {
      const reader = new CsvReader();
      const records: string[][] = [];
      for (let i = 0; i < text.length; i += size) records.push(...reader.push(text.slice(i, i + size)));
      records.push(...reader.end());
      expect(records).toEqual(whole);
    }
    expect(whole).toEqual([
      ['query', 'calls'],
      ['SELECT "a", 1\nFROM t', '3'],
      ['SELECT 2', '4'],
    ]);
  });

  it('keeps a stray quote inside an unquoted field', () => {
    expect(parseCsv('a"b,c\n')).toEqual([['a"b', 'c']]);
  });
});
