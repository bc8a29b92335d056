/**
 * The subcommands, in iproute2's matching order, each loaded only when it
 * runs: `show` does not pay for `add`, `set` or `-batch`, and `--version`
 * loads no subcommand at all.
 *
 * @module
 */

import type { Command } from "./_context.ts";
import { CliExit, matches } from "./_grammar.ts";
import { usage } from "./_grammar.ts";

type Loader = () => Promise<{ command: Command }>;

/**
 * Imports a module of this folder when it is needed. The specifier is
 * computed on purpose: Deno loads every literal `import()` of a program's
 * graph before the program starts, which would make every run pay for every
 * subcommand.
 *
 * @param file The module's file name.
 * @returns The module.
 */
export function later<T>(file: string): Promise<T> {
  return import(new URL(file, import.meta.url).href);
}

/** Each subcommand's module, once loaded: a batch looks its commands up line after line. */
const loaded = new Map<string, Promise<{ command: Command }>>();

const command = (file: string): Loader => () => {
  let module = loaded.get(file);
  if (module === undefined) loaded.set(file, module = later<{ command: Command }>(file));
  return module;
};

const SUBCOMMANDS: readonly (readonly [readonly string[], Loader])[] = [
  // iproute2's, in its order:
  [["add"], command("./_add.ts")],
  [["delete"], command("./_delete.ts")],
  [["show", "lst", "list"], command("./_show.ts")],
  [["help"], () => {
    throw usage();
  }],
  // Extensions, with words ip rejects:
  [["set"], command("./_set.ts")],
  [["address"], command("./_addr.ts")],
  [["info"], command("./_info.ts")],
];

/** Every subcommand keyword, for telling a batch line's object word from a command. */
export const SUBCOMMAND_WORDS: readonly string[] = SUBCOMMANDS.flatMap(([keywords]) => keywords);

/** A subcommand found in the table. */
export interface CommandEntry {
  /** Its first keyword, which identifies it. */
  key: string;
  /** Loads it. */
  load: Loader;
}

/**
 * Finds the subcommand a word names; no word means `show`.
 *
 * @param word The first word.
 * @returns The subcommand.
 */
export function findCommand(word: string | undefined): CommandEntry {
  const key = word ?? "show";
  const entry = SUBCOMMANDS.find(([keywords]) => keywords.some((k) => matches(key, k)));
  if (entry === undefined) {
    throw new CliExit(`Command "${key}" is unknown, try "ip tuntap help".`, 255);
  }
  return { key: entry[0][0] as string, load: entry[1] };
}

/**
 * Finds and loads the subcommand a word names; no word means `show`.
 *
 * @param word The first word.
 * @returns The subcommand.
 */
export async function loadCommand(word: string | undefined): Promise<Command> {
  return (await findCommand(word).load()).command;
}
