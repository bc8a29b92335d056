/**
 * The subcommands, in iproute2's matching order, each loaded only when it
 * runs: `show` does not pay for parsing `add`, `-batch` or JSON it does not
 * print.
 *
 * @module
 */

import type { Command } from "./_context.ts";
import { CliExit, matches } from "./_exit.ts";
import { usage } from "./_grammar.ts";

type Loader = () => Promise<{ command: Command }>;

const SUBCOMMANDS: readonly (readonly [readonly string[], Loader])[] = [
  // iproute2's, in its order:
  [["add"], () => import("./_add.ts")],
  [["delete"], () => import("./_delete.ts")],
  [["show", "lst", "list"], () => import("./_show.ts")],
  [["help"], () => {
    throw usage();
  }],
  // Extensions, with words ip rejects:
  [["set"], () => import("./_set.ts")],
  [["address"], () => import("./_addr.ts")],
  [["info"], () => import("./_info.ts")],
];

/** Every subcommand keyword, for telling a batch line's object word from a command. */
export const SUBCOMMAND_WORDS: readonly string[] = SUBCOMMANDS.flatMap(([keywords]) => keywords);

/**
 * Finds and loads the subcommand a word names; no word means `show`.
 *
 * @param word The first word.
 * @returns The subcommand.
 */
export async function loadCommand(word: string | undefined): Promise<Command> {
  const key = word ?? "show";
  const entry = SUBCOMMANDS.find(([keywords]) => keywords.some((k) => matches(key, k)));
  if (entry === undefined) {
    throw new CliExit(`Command "${key}" is unknown, try "ip tuntap help".`, 255);
  }
  return (await entry[1]()).command;
}
