/**
 * Reading the output of the compat batteries: its cases by id, and
 * tuntap's output without its hint lines.
 *
 * @module
 */

/** Splits a battery's output into its cases, by id. */
export function splitCases(text: string): Map<string, string> {
  const cases = new Map<string, string>();
  let id: string | undefined;
  for (const line of text.split(/(?<=\n)/)) {
    const header = /^=== (\S+):/.exec(line);
    if (header) {
      id = header[1] as string;
      cases.set(id, "");
    } else if (/^# \d+ cases\n?$/.test(line)) {
      id = undefined;
    }
    if (id !== undefined) cases.set(id, (cases.get(id) ?? "") + line);
  }
  return cases;
}

/** The text without the lines that start with "  hint: ". */
export function withoutHints(text: string): string {
  return text.split(/(?<=\n)/).filter((line) => !line.startsWith("  hint: ")).join("");
}

/** Whether a command is missing from PATH. */
export function missing(tool: string, sh: (argv: string[]) => { code: number }): boolean {
  try {
    return sh(["sh", "-c", `command -v ${tool}`]).code !== 0;
  } catch {
    return true;
  }
}
