/** Small text helpers of the CLI's messages and reports. */

/** `1 file`, `2 files`; `many` for irregular plurals (`1 info`, `2 info`). */
export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : many}`;
}

/** SQL on one line (white space runs collapsed), cut to `max` characters with an ellipsis. */
export function oneLine(sql: string, max: number): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
