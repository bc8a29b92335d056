/**
 * Pieces of iproute2's grammar shared by the subcommands: prefix matching,
 * ending the run as `exit()` does (parse errors end even a `-force` batch),
 * its error messages, its interface-name check and its mode keyword.
 *
 * @module
 */

import { encodeText } from "../names.ts";
import type { TunTapMode } from "../types.ts";
import { IP_USAGE } from "./_help.ts";

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

/**
 * iproute2's `usage()` for `ip tuntap` (exit status 255).
 *
 * @returns The exit.
 */
export function usage(): CliExit {
  return new CliExit(IP_USAGE.trimEnd(), 255);
}

/**
 * "Command line is not complete" (a keyword without its value).
 *
 * @returns The exit.
 */
export function incomplete(): CliExit {
  return new CliExit('Command line is not complete. Try option "help"', 255);
}

/**
 * iproute2's `invarg`: a value that is wrong.
 *
 * @param value The value.
 * @param message What is wrong with it.
 * @returns The exit.
 */
export function invalidArgument(value: string, message: string): CliExit {
  return new CliExit(`Error: argument "${value}" is wrong: ${message}`, 255);
}

/**
 * iproute2's `duparg2`: a second value where one was expected.
 *
 * @param key The keyword.
 * @param word The extra word.
 * @returns The exit.
 */
export function garbage(key: string, word: string): CliExit {
  return new CliExit(`Error: either "${key}" is duplicate, or "${word}" is garbage.`, 255);
}

/**
 * iproute2's `check_ifname` (newest): 1 to 15 bytes, no `/`, no whitespace,
 * not `.` or `..`; and no NUL, which a C string cannot carry (in a batch
 * line, iproute2 would silently cut the name there).
 *
 * @param name The name.
 * @returns Whether iproute2 accepts it.
 */
export function checkIfname(name: string): boolean {
  const length = encodeText(name).byteLength;
  return length > 0 && length < 16 && name !== "." && name !== ".." &&
    !/[/ \t\n\v\f\r\0]/.test(name);
}

/**
 * Reads a `mode` value: a prefix of `tun` or of `tap`.
 *
 * @param value The value.
 * @param current The mode given before, if any.
 * @returns The mode.
 */
export function parseMode(value: string, current: TunTapMode | undefined): TunTapMode {
  const mode: TunTapMode | undefined = matches(value, "tun")
    ? "tun"
    : matches(value, "tap")
    ? "tap"
    : undefined;
  if (mode === undefined) throw new CliExit(`Unknown tunnel mode "${value}"`, 255);
  if (current !== undefined && current !== mode) {
    throw new CliExit("You managed to ask for more than one tunnel mode.", 255);
  }
  return mode;
}

/**
 * Walks `key value` words: gives each word and a function that takes the
 * next word as its value (or ends the run as incomplete).
 *
 * @param words The words.
 * @param visit Called for each word that is not consumed as a value.
 */
export function eachWord(
  words: readonly string[],
  visit: (word: string, value: () => string) => void,
): void {
  for (let i = 0; i < words.length; i++) {
    visit(words[i] as string, () => {
      if (++i >= words.length) throw incomplete();
      return words[i] as string;
    });
  }
}
