/**
 * This CLI's `--help`, written from the one description of each subcommand
 * (its usage lines and summary) and of each global option: nothing here
 * repeats a grammar. And `--version`, with the version `deno.json` states
 * (the one place it is written).
 *
 * @module
 */

import config from "../../deno.json" with { type: "json" };
import { COMMANDS } from "./_commands.ts";
import type { CommandSpec } from "./_grammar.ts";
import { COLOR_HELP, OPTIONS } from "./_options.ts";

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

/** The words a subcommand is shown as: its usage's first word, then its other names. */
function shownNames(spec: CommandSpec): string[] {
  const first = spec.usage[0]?.split(" ")[0] ?? spec.names[0] as string;
  return [first, ...spec.names.slice(1)];
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
  const specs = (await Promise.all(COMMANDS.map((c) => c.load()))).map((c) => c.spec);
  const ip = specs.filter((s) => !s.extension).flatMap(shownNames);
  const ours = specs.filter((s) => s.extension).flatMap(shownNames);
  const options = OPTIONS.flatMap((o) => (o.help ? [o.help] : []));
  options.splice(options.length - 1, 0, COLOR_HELP);
  return [
    `Usage: tuntap [ OPTIONS ] { ${ip.join(" | ")} } [ ARGS ]`,
    `       tuntap [ OPTIONS ] { ${ours.join(" | ")} } [ ARGS ]`,
    "       tuntap [ -force ] -batch FILE|-",
    "",
    "Create, delete, list and configure persistent TUN/TAP devices. The commands",
    'of "ip tuntap" keep its command lines, output and exit codes, so scripts',
    "written for iproute2 work unchanged.",
    "",
    "Commands:",
    ...specs.filter((s) => s.names[0] !== "help").flatMap(commandLines),
    "",
    "Options:",
    ...options.map(optionLine),
    "",
    "USER and GROUP are a name or a number; -1 means none.",
    "Exit status: 0 success, 1 the kernel refused, 255 a command-line error",
    '(set and addr: 2 when the kernel refused, as "ip link" and "ip addr").',
    "",
    "Examples:",
    "  tuntap add dev tap0 mode tap user 1000 vnet_hdr",
    "  tuntap addr add 10.1.0.1/24 dev tun0 && tuntap set dev tun0 up",
    "  tuntap set dev tap0 master br0 up",
    "  tuntap -j -p info tun0",
    "  tuntap del tap0",
    "",
  ].join("\n");
}

/** The package version, printed by `--version`. */
const VERSION: string = config.version;

/** What `--version` and `-Version` print. */
export const VERSION_LINE: string = `tuntap utility, @netdev/tuntap ${VERSION}`;
