/**
 * Text from a linted file made safe to print on a terminal or in a CI log: control characters
 * (other than tab) become their visible Control Pictures (`␛` for ESC, `␀` …) and C1 controls
 * become `�`, so a file cannot move the cursor, recolour or retitle the user's terminal, nor start a
 * line of its own. One character in, one character out: columns are unchanged.
 *
 * It also keeps untrusted text from being read as a GitHub Actions workflow command. The runner
 * reads `::command::` at the start of a line after leading white space (which an indented field
 * can be) and the legacy `##[command]` form anywhere in a line
 * (https://github.com/actions/runner/blob/main/src/Runner.Common/ActionCommand.cs): a leading `::`
 * gets a modifier-letter colon (`꞉:`) and the `[` of `##[` a quill bracket (`##⁅`), one
 * character each.
 */
export function printable(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/g, (c) => {
        const code = c.charCodeAt(0);
        if (code < 0x20) return String.fromCharCode(0x2400 + code);
        return code === 0x7f ? '\u2421' : '\ufffd';
      })
      .replace(/^(\s*):(?=:)/, '$1\ua789')
      .replaceAll('##[', '##\u2045')
  );
}
