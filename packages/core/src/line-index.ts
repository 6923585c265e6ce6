/** A 1-based line and a 1-based column counted in UTF-16 code units (what editors and ESLint use). */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Converts offsets into a text to lines and columns and back. Lines end at `\n`, `\r\n` or a lone
 * `\r`, as in editors. Built once per text in O(n); each lookup is a binary search.
 */
export class LineIndex {
  private readonly starts: number[];
  /** A leading byte-order mark takes no column, as in editors and ESLint. */
  private readonly bom: number;

  constructor(readonly text: string) {
    this.bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        starts.push(i + 1);
      } else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Position of an offset; offsets past the end clamp to the end of the text. */
  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    const skip = lo === 0 && o > 0 ? this.bom : 0;
    return { line: lo + 1, column: o - (this.starts[lo] as number) + 1 - skip };
  }

  /** Offset of a position; columns past the end of a line clamp to the line's end. */
  offsetAt(position: Position): number {
    const line = Math.max(1, Math.min(position.line, this.starts.length));
    const start = this.starts[line - 1] as number;
    const next = line < this.starts.length ? (this.starts[line] as number) : this.text.length;
    let end = next;
    if (line < this.starts.length) {
      end--;
      if (this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
    }
    const skip = line === 1 ? this.bom : 0;
    return Math.min(start + skip + Math.max(0, position.column - 1), end);
  }

  /** The text of a 1-based line without its line terminator. */
  lineText(line: number): string {
    const start = this.offsetAt({ line, column: 1 });
    let end = line < this.starts.length ? (this.starts[line] as number) : this.text.length;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return this.text.slice(start, end);
  }
}

/**
 * libpg-query reports UTF-8 byte offsets; JavaScript strings are indexed in UTF-16 code units.
 * This converts between the two for one text. Pure-ASCII texts (the common case) take a fast path.
 */
export class Utf8Offsets {
  private readonly ascii: boolean;
  /** For non-ASCII texts: byteStart[i] is the UTF-8 offset of string index i (length + 1 entries). */
  private byteAt: Uint32Array | undefined;

  constructor(private readonly text: string) {
    // eslint-disable-next-line no-control-regex
    this.ascii = !/[^\x00-\x7f]/.test(text);
  }

  private table(): Uint32Array {
    if (this.byteAt) return this.byteAt;
    const t = this.text;
    const table = new Uint32Array(t.length + 1);
    let bytes = 0;
    for (let i = 0; i < t.length; i++) {
      table[i] = bytes;
      const c = t.charCodeAt(i);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length) {
        const d = t.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          bytes += 4;
          i++;
          table[i] = bytes - 4 + 4; // the low surrogate maps to the end of the 4-byte sequence
          continue;
        }
        bytes += 3;
      } else bytes += 3;
    }
    table[t.length] = bytes;
    this.byteAt = table;
    return table;
  }

  /** UTF-8 byte offset → string index (the index of the character that starts at or contains it). */
  toStringIndex(byteOffset: number): number {
    if (this.ascii) return Math.min(byteOffset, this.text.length);
    const table = this.table();
    let lo = 0;
    let hi = table.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((table[mid] as number) <= byteOffset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** String index → UTF-8 byte offset. */
  toByteOffset(index: number): number {
    if (this.ascii) return index;
    return this.table()[Math.max(0, Math.min(index, this.text.length))] as number;
  }
}
