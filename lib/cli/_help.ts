/**
 * This CLI's `--help`, written from the one description of each subcommand
 * (its usage lines and summary) and of each global option, with the prose
 * it shares with the manual page (`_about.ts`): nothing here repeats a
 * grammar. And `--version`, with the version `deno.json` states
 * (the one place it is written).
 *
 * @module
 */

import config from "../../deno.json" with { type: "json" };
import {
  DESCRIPTION,
  EXAMPLES,
  EXIT_STATUS,
  optionHelp,
  shownNames,
  USER_GROUP,
} from "./_about.ts";
import { commandSpecs } from "./_commands.ts";
import type { CommandSpec } from "./_grammar.ts";

/** Where the text of a listed item starts. */
const COLUMN = 25;
/** The width lines are wrapped to. */
const WIDTH = 80;

function wrap(text: string, indent: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && indent + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines.map((l) => `${" ".repeat(indent)}${l}`);
}

function commandLines(spec: CommandSpec): string[] {
  const usage = spec.usage.map((u) => `  ${u}`);
  const summary = wrap(spec.summary, COLUMN);
  const last = usage[usage.length - 1] as string;
  if (last.length + 1 < COLUMN) {
    usage[usage.length - 1] = `${last.padEnd(COLUMN)}${(summary.shift() as string).trimStart()}`;
  }
  return [...usage, ...summary];
}

function optionLine([spelling, text]: readonly [string, string]): string {
  return `  ${spelling.padEnd(COLUMN - 3)} ${text}`;
}

/**
 * `tuntap --help` (on stdout with status 0; `-help` puts it on stderr with
 * status 255, as iproute2 does).
 *
 * @returns The text (every subcommand module is loaded to read its spec).
 */
export async function helpText(): Promise<string> {
  const specs = await commandSpecs();
  const ip = specs.filter((s) => !s.extension).flatMap(shownNames);
  const ours = specs.filter((s) => s.extension).flatMap(shownNames);
  const options = optionHelp();
  return [
    `Usage: tuntap [ OPTIONS ] { ${ip.join(" | ")} } [ ARGS ]`,
    `       tuntap [ OPTIONS ] { ${ours.join(" | ")} } [ ARGS ]`,
    "       tuntap [ -force ] -batch FILE|-",
    "",
    ...DESCRIPTION,
    "",
    "Commands:",
    ...specs.filter((s) => s.names[0] !== "help").flatMap(commandLines),
    "",
    "Options:",
    ...options.map(optionLine),
    "",
    USER_GROUP,
    ...EXIT_STATUS,
    "",
    "Examples:",
    ...EXAMPLES.map((e) => `  ${e}`),
    "",
  ].join("\n");
}

/** The package version, printed by `--version`. */
const VERSION: string = config.version;

/** What `--version` and `-Version` print. */
export const VERSION_LINE: string = `tuntap utility, @netdev/tuntap ${VERSION}`;
