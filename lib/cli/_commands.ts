/**
 * The subcommands, in iproute2's matching order and then the extensions.
 * `show` is loaded with the CLI; the others when first run, through a
 * literal `import()`: every module is in the graph that `deno install` and
 * `deno cache` fetch, so an installed CLI runs offline. With lazy dynamic
 * imports (`deno.json`'s `"unstable"`), Deno reads a subcommand's modules
 * only when it runs, instead of all of them before `show` starts; modules
 * from a checkout then need read permission to load.
 *
 * Each subcommand module holds its one description (`spec`: grammar, usage,
 * summary); the words here only route a typed word to its module, and a
 * test checks that they are the spec's.
 *
 * @module
 */

import type { Command } from "./_context.ts";
import { CliExit, type CommandSpec, matches, usage } from "./_grammar.ts";
import { command as show } from "./_show.ts";

/** A subcommand: the words that route to it, and its module. */
export interface CommandEntry {
  /** The words that name it, as its spec has them. */
  readonly names: readonly string[];
  /** Loads its module. */
  readonly load: () => Promise<Command>;
}

/** `help`: iproute2's usage of `ip tuntap`, on stderr, exit status 255. */
const help: Command = {
  spec: {
    names: ["help"],
    usage: ["help"],
    summary: "print iproute2's usage of ip tuntap (exit status 255)",
    keywords: [],
  },
  run() {
    throw usage();
  },
};

const loaded = (command: Command): CommandEntry => ({
  names: command.spec.names,
  load: () => Promise.resolve(command),
});

/** Every subcommand, in matching order: iproute2's, then the extensions (words ip rejects). */
export const COMMANDS: readonly CommandEntry[] = [
  { names: ["add"], load: async () => (await import("./_add.ts")).command },
  { names: ["delete"], load: async () => (await import("./_delete.ts")).command },
  loaded(show),
  loaded(help),
  { names: ["set"], load: async () => (await import("./_set.ts")).command },
  { names: ["address"], load: async () => (await import("./_addr.ts")).command },
  { names: ["info"], load: async () => (await import("./_info.ts")).command },
  { names: ["apply"], load: async () => (await import("./_apply.ts")).command },
  { names: ["export"], load: async () => (await import("./_export.ts")).command },
  { names: ["schema"], load: async () => (await import("./_schema.ts")).command },
  { names: ["monitor"], load: async () => (await import("./_monitor.ts")).command },
  { names: ["doctor"], load: async () => (await import("./_doctor.ts")).command },
  // completions and man describe every subcommand: they are given the specs
  // (importing this table, which loads them, would close a cycle).
  {
    names: ["completions"],
    load: async () => (await import("./_completions.ts")).completionsCommand(commandSpecs),
  },
  { names: ["man"], load: async () => (await import("./_man.ts")).manCommand(commandSpecs) },
];

/**
 * Every subcommand's description, in matching order.
 *
 * @returns The specs (every subcommand module is loaded to read its own).
 */
export async function commandSpecs(): Promise<CommandSpec[]> {
  return (await Promise.all(COMMANDS.map((c) => c.load()))).map((c) => c.spec);
}

/** Every subcommand keyword, for telling a batch line's object word from a command. */
export const SUBCOMMAND_WORDS: readonly string[] = COMMANDS.flatMap((c) => c.names);

/**
 * Finds the subcommand a word names; no word means `show`.
 *
 * @param word The first word.
 * @returns The subcommand.
 * @throws {CliExit} When no subcommand has that word.
 */
export function findCommand(word: string | undefined): CommandEntry {
  const key = word ?? "show";
  const command = COMMANDS.find((c) => c.names.some((name) => matches(key, name)));
  if (command === undefined) {
    throw new CliExit(`Command "${key}" is unknown, try "ip tuntap help".`, 255);
  }
  return command;
}
