/**
 * A streaming CSV reader (RFC 4180, as PostgreSQL's COPY … CSV and csvlog write it): quoted fields
 * with `""` escapes and line breaks inside, CRLF or LF. Feed it chunks; it hands out complete records.
 */
export class CsvReader {
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
          // Fall through: the character after a closing quote.
        } else if (ch === 34) {
          this.quoteSeen = true;
          continue;
        } else {
          // Copy the run of ordinary characters at once.
          let j = i;
          while (j < n && chunk.charCodeAt(j) !== 34) j++;
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
          out.push(this.record);
        }
        this.record = [];
        field = '';
        this.quoted = false;
        this.fieldStarted = false;
      } else if (ch === 34 && !this.fieldStarted) {
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
    return out;
  }

  /** Ends the input: the last record, if the text did not end with a line break. */
  end(): string[][] {
    if (this.quoteSeen) {
      this.quoteSeen = false;
      this.inQuotes = false;
    }
    const pending = this.fieldStarted || this.record.length > 0 || this.field !== '';
    if (!pending) return [];
    this.record.push(this.field.endsWith('\r') && !this.quoted ? this.field.slice(0, -1) : this.field);
    const record = this.record;
    this.record = [];
    this.field = '';
    this.fieldStarted = false;
    return [record];
  }
}

/** Parses a whole CSV text (for tests and small inputs). */
export function parseCsv(text: string): string[][] {
  const reader = new CsvReader();
  return [...reader.push(text), ...reader.end()];
}
