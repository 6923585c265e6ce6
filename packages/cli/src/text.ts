/** `1 file`, `2 files`; `many` for irregular plurals (`1 info`, `2 info`). */
export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : many}`;
}
