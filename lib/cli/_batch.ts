/**
 * Reading batch files as `ip -batch` reads them: everything from the first
 * `#` of a line is dropped, a line ending in `\` continues on the next one,
 * words are split on space, TAB, CR and LF, and a word that starts with a
 * quote runs to the next same quote (no escapes).
 *
 * @module
 */

import { CliExit } from "./_grammar.ts";

/** Words per line, as iproute2's MAX_ARGS. */
const MAX_ARGS = 512;
const SPACE = " \t\r\n";

/** One command of a batch. */
export interface BatchCommand {
  /** Its last physical line number (1-based), as "Command failed" reports. */
  line: number;
  /** Its words. */
  args: string[];
}

/** What reading a batch yields: commands, or why reading stopped. */
export type BatchItem = BatchCommand | { line: number; stop: string };

function cutComment(line: string): string {
  const at = line.indexOf("#");
  return at < 0 ? line : line.slice(0, at);
}

/**
 * Splits a command line into words.
 *
 * @param line The line, comments and continuations already handled.
 * @returns The words.
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && SPACE.includes(line[i] as string)) i++;
    if (i >= line.length) break;
    if (words.length >= MAX_ARGS - 1) throw new CliExit("Too many arguments to command", 1);
    const first = line[i] as string;
    if (first === "'" || first === '"') {
      const end = line.indexOf(first, i + 1);
      if (end < 0) throw new CliExit("Unterminated quoted string", 1);
      words.push(line.slice(i + 1, end));
      i = end + 1;
    } else {
      let end = i;
      while (end < line.length && !SPACE.includes(line[end] as string)) end++;
      words.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return words;
}

/**
 * Reads the commands of a batch, lazily: a quoting error is thrown (as
 * {@linkcode CliExit}) only when its line is reached, after the commands
 * before it ran.
 *
 * @param text The whole batch.
 * @returns The commands; blank lines are skipped.
 */
export function* readBatch(text: string): Generator<BatchItem> {
  const physical = text.split("\n").map((line, i, all) => i < all.length - 1 ? `${line}\n` : line);
  if (physical[physical.length - 1] === "") physical.pop();
  let next = 0;
  while (next < physical.length) {
    let line = cutComment(physical[next++] as string);
    let at: number;
    while ((at = line.indexOf("\\\n")) >= 0) {
      if (next >= physical.length) {
        yield { line: next, stop: "Missing continuation line" };
        return;
      }
      line = line.slice(0, at) + cutComment(physical[next++] as string);
    }
    const args = splitWords(line);
    if (args.length > 0) yield { line: next, args };
  }
}
