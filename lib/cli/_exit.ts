/**
 * Ending the run at once, as iproute2's `exit()` does: parse errors (255)
 * and batch syntax errors (1) end the whole process, even in a batch with
 * `-force`.
 *
 * @module
 */

/** Ends the run with a message on stderr and an exit status. */
export class CliExit extends Error {
  /** The exit status. */
  readonly status: number;
  /** Text for stdout instead of stderr (help, version). */
  readonly toStdout: boolean;

  /**
   * Creates the exit.
   *
   * @param message The text to print, without a final newline.
   * @param status The exit status.
   * @param toStdout Whether the text goes to stdout.
   */
  constructor(message: string, status: number, toStdout = false) {
    super(message);
    this.name = "CliExit";
    this.status = status;
    this.toStdout = toStdout;
  }
}

/**
 * Whether `word` is a non-empty prefix of `keyword` (iproute2's `matches`).
 *
 * @param word The word typed.
 * @param keyword The keyword.
 * @returns Whether it matches.
 */
export function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}
