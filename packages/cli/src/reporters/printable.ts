/**
 * Text from a linted file made safe to print on a terminal: control characters (other than tab)
 * become their visible Control Pictures (`␛` for ESC, `␀` …) and C1 controls become `�`, so
 * a file cannot move the cursor, recolour or retitle the user's terminal. One character in, one
 * character out: columns are unchanged.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? '\u2421' : '\ufffd';
  });
}
