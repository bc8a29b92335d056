/**
 * Colour: iproute2's interface-name colour for `-c`, and a small helper for
 * this CLI's own messages (help, hints) that honours NO_COLOR and only
 * colours terminals.
 *
 * @module
 */

const BOLD_CYAN = "\x1b[1;36m";
const CYAN = "\x1b[36m";
/** Resets all attributes. */
export const RESET = "\x1b[0m";

/**
 * The escape sequence iproute2 uses for interface names: bold cyan on a dark
 * background, cyan on a light one. The background is dark unless the last
 * `;`-separated field of COLORFGBG is something other than a single digit
 * 0-6 or 8 (newest iproute2 also assumes dark when COLORFGBG is unset).
 *
 * @param colorfgbg The COLORFGBG environment variable.
 * @returns The escape sequence.
 */
export function ifnameColor(colorfgbg: string | undefined): string {
  const at = colorfgbg?.lastIndexOf(";") ?? -1;
  if (colorfgbg === undefined || at < 0) return BOLD_CYAN;
  const last = colorfgbg.slice(at + 1);
  return /^[0-68]$/.test(last) ? BOLD_CYAN : CYAN;
}

/** How `-c` was given: `-c`/`-c=always`, `-c=auto`, `-c=never`. */
export type ColorChoice = "always" | "auto" | "never";

/**
 * Whether device names get colour.
 *
 * @param choice The `-c` option, if given.
 * @param json Whether output is JSON (never coloured).
 * @param terminal Whether standard output is a terminal.
 * @param noColor Whether NO_COLOR is set and not empty.
 * @returns Whether to colour.
 */
export function useColor(
  choice: ColorChoice | undefined,
  json: boolean,
  terminal: boolean,
  noColor: boolean,
): boolean {
  if (json || choice === undefined || choice === "never") return false;
  return choice === "always" || (terminal && !noColor);
}

/**
 * Wraps `text` in bold when `enabled`.
 *
 * @param text The text.
 * @param enabled Whether colour is on.
 * @returns The text.
 */
export function bold(text: string, enabled: boolean): string {
  return enabled ? `\x1b[1m${text}${RESET}` : text;
}
