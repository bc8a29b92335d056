/**
 * Pieces of iproute2's grammar shared by the subcommands: prefix matching,
 * ending the run as `exit()` does (parse errors end even a `-force` batch),
 * its error messages, its interface-name check and its mode keyword.
 *
 * @module
 */

import { encodeText } from "../device/_checks.ts";
import type { TunTapMode } from "../device/types.ts";

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
 * A command that was read but cannot be done (iproute2 prints a line and
 * returns -1 from it: a batch with `-force` goes on to the next line).
 */
export class CommandFailed extends Error {
  /** The exit status. */
  readonly status: number;

  /**
   * Creates the failure.
   *
   * @param message The line to print, without its newline.
   * @param status The exit status.
   */
  constructor(message: string, status = 1) {
    super(message);
    this.name = "CommandFailed";
    this.status = status;
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

/** `ip tuntap help`, on stderr with exit status 255, byte for byte as iproute2 prints it. */
export const IP_USAGE = `Usage: ip tuntap { add | del | show | list | lst | help } [ dev PHYS_DEV ]
       [ mode { tun | tap } ] [ user USER ] [ group GROUP ]
       [ one_queue ] [ pi ] [ vnet_hdr ] [ multi_queue ] [ name NAME ]

Where: USER  := { STRING | NUMBER }
       GROUP := { STRING | NUMBER }
`;

/**
 * iproute2's `usage()` for `ip tuntap` (exit status 255).
 *
 * @returns The exit.
 */
export function usage(): CliExit {
  return new CliExit(IP_USAGE.trimEnd(), 255);
}

/**
 * What the value of a keyword (or a bare word) is: for help, and for the
 * completions that offer values of that kind.
 */
export type ValueKind =
  | "device"
  | "tuntap"
  | "name"
  | "mode"
  | "user"
  | "group"
  | "number"
  | "mac"
  | "prefix"
  | "address"
  | "netns"
  | "onoff"
  | "scope"
  | "lifetime"
  | "text"
  | "file";

/** One keyword of a subcommand, in the table its parser walks. */
export interface Keyword {
  /** The keyword, spelled out. */
  readonly word: string;
  /**
   * How typed words match it: "prefix" as iproute2's `matches()` (any
   * non-empty prefix, tried in table order), "exact" as its `strcmp`.
   */
  readonly match: "prefix" | "exact";
  /** The kind of its value; none for a flag. */
  readonly value?: ValueKind;
}

/**
 * The one description of a subcommand: its words, its usage lines and
 * summary (for `--help` and the manual), and its keyword table, which its
 * parser walks and completions read.
 */
export interface CommandSpec {
  /** The words that name it (the first identifies it), matched as prefixes in table order. */
  readonly names: readonly string[];
  /** Its usage lines, without the program name. */
  readonly usage: readonly string[];
  /** What it does, in a line or two. */
  readonly summary: string;
  /** A subcommand `ip tuntap` does not have (its word is one ip rejects). */
  readonly extension?: boolean;
  /** Its keywords, in matching order. */
  readonly keywords: readonly Keyword[];
  /** What a word that is no keyword is. */
  readonly operand?: ValueKind;
  /** Its actions (`addr add`, `addr show`, …), each with its own grammar. */
  readonly actions?: readonly CommandSpec[];
}

/**
 * The keyword of a table a typed word names: the first, in table order,
 * that it matches.
 *
 * @typeParam K The table's entries.
 * @param table The keywords.
 * @param word The typed word.
 * @returns The keyword, or `undefined`.
 */
export function findKeyword<K extends Keyword>(table: readonly K[], word: string): K | undefined {
  for (const keyword of table) {
    if (keyword.match === "exact" ? word === keyword.word : matches(word, keyword.word)) {
      return keyword;
    }
  }
  return undefined;
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
 * iproute2's `duparg`: a keyword given a second time.
 *
 * @param key The keyword, as iproute2 names it.
 * @param value The second value (or word).
 * @returns The exit.
 */
export function duplicateArgument(key: string, value: string): CliExit {
  return new CliExit(`Error: duplicate "${key}": "${value}" is the second value.`, 255);
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
