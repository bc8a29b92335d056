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

/**
 * Compares tuntap's cases with the expected ones (hint lines removed from
 * tuntap's) against a list of explained differences: the ids that differ
 * without an explanation, and the explained ids that no longer differ, plus
 * a report of each unexplained difference.
 */
export function unexplained(
  expected: Map<string, string>,
  tuntap: Map<string, string>,
  explained: Readonly<Record<string, string>>,
): { problems: string[]; report: string } {
  const differing: string[] = [];
  const report: string[] = [];
  for (const [id, want] of expected) {
    const got = withoutHints(tuntap.get(id) ?? "");
    if (got === want) continue;
    differing.push(id);
    if (!(id in explained)) report.push(`--- expected\n${want}--- tuntap\n${got}`);
  }
  const problems = [
    ...differing.filter((id) => !(id in explained)).map((id) =>
      `${id} differs without explanation`
    ),
    ...Object.keys(explained).filter((id) => !differing.includes(id)).map((id) =>
      `${id} no longer differs`
    ),
  ];
  return { problems, report: report.join("\n") };
}
