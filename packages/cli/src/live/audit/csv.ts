/** A CSV text that cannot be read: a quoted field that is never closed. */
export class CsvFormatError extends Error {
  constructor(
    message: string,
    /** 1-based line where the problem starts. */
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvFormatError';
  }
}

/** Receives each complete record with the 1-based line it starts on. */
export type CsvRecordCallback = (record: string[], line: number) => void;

/**
 * A streaming CSV reader (RFC 4180, as PostgreSQL's COPY … CSV and csvlog write it): quoted fields
 * with `""` escapes and line breaks inside, CRLF or LF. Feed it chunks; it hands out complete records,
 * with the line each starts on.
 */
export class CsvReader {
  /** The current line (1-based) and the line the current record and the open quote started on. */
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  private field = '';
  private record: string[] = [];
  private quoted = false;
  /** Inside quotes; a `"` seen in quotes may be the first of `""`. */
  private inQuotes = false;
  private quoteSeen = false;
  private fieldStarted = false;

  /** Reads a chunk; returns the records it completes. */
  push(chunk: string): string[][] {
    const out: string[][] = [];
    this.read(chunk, (record) => out.push(record));
    return out;
  }

  /** Reads a chunk; calls `each` with every record it completes and the line the record starts on. */
  read(chunk: string, each: CsvRecordCallback): void {
    let field = this.field;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const ch = chunk.charCodeAt(i);
      if (this.inQuotes) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (ch === 34) {
            field += '"';
            continue;
          }
          this.inQuotes = false;
          // After a closing quote comes a comma or the end of the line; anything else means a quote
          // is missing or one too many, and the rows in between would have been merged into one field.
          if (ch !== 44 && ch !== 10 && ch !== 13) {
            const closed = this.line === this.quoteLine ? '' : ` closes on line ${this.line} and`;
            throw new CsvFormatError(`the quoted field that opens here${closed} is followed by more text (a " is missing, or one too many)`, this.quoteLine);
          }
          // Fall through: the character after a closing quote.
        } else if (ch === 34) {
          this.quoteSeen = true;
          continue;
        } else {
          // Copy the run of ordinary characters at once.
          let j = i;
          for (let c = chunk.charCodeAt(j); j < n && c !== 34; c = chunk.charCodeAt(++j)) if (c === 10) this.line++;
          field += chunk.slice(i, j);
          i = j - 1;
          continue;
        }
      }
      if (ch === 44) {
        this.record.push(field);
        field = '';
        this.quoted = false;
        this.fieldStarted = false;
      } else if (ch === 10) {
        if (this.fieldStarted || this.record.length > 0 || field !== '') {
          this.record.push(field.endsWith('\r') && !this.quoted ? field.slice(0, -1) : field);
          each(this.record, this.recordLine);
        }
        this.line++;
        this.recordLine = this.line;
        this.record = [];
        field = '';
        this.quoted = false;
        this.fieldStarted = false;
      } else if (ch === 34 && !this.fieldStarted) {
        this.quoteLine = this.line;
        this.inQuotes = true;
        this.quoted = true;
        this.fieldStarted = true;
      } else if (ch === 13 && this.quoted) {
        // CR after a closing quote: part of the line break.
      } else {
        this.fieldStarted = true;
        let j = i + 1;
        while (j < n) {
          const c = chunk.charCodeAt(j);
          if (c === 44 || c === 10 || c === 34) break;
          j++;
        }
        field += chunk.slice(i, j);
        i = j - 1;
      }
    }
    this.field = field;
  }

  /**
   * Ends the input: the last record, if the text did not end with a line break.
   *
   * @throws {CsvFormatError} when a quoted field is still open: the rest of the text would have been
   * one field, merging every row after the quote.
   */
  end(): string[][] {
    const out: string[][] = [];
    this.finish((record) => out.push(record));
    return out;
  }

  /** {@link end}, with the record's line. */
  finish(each: CsvRecordCallback): void {
    if (this.quoteSeen) {
      this.quoteSeen = false;
      this.inQuotes = false;
    }
    if (this.inQuotes) throw new CsvFormatError('a quoted field opens here and is never closed (a " is missing, or one too many)', this.quoteLine);
    const pending = this.fieldStarted || this.record.length > 0 || this.field !== '';
    if (!pending) return;
    this.record.push(this.field.endsWith('\r') && !this.quoted ? this.field.slice(0, -1) : this.field);
    const record = this.record;
    this.record = [];
    this.field = '';
    this.fieldStarted = false;
    each(record, this.recordLine);
  }
}

/** Parses a whole CSV text (for tests and small inputs). */
export function parseCsv(text: string): string[][] {
  const reader = new CsvReader();
  return [...reader.push(text), ...reader.end()];
}
