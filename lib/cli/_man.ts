/**
 * `tuntap man`: the manual page tuntap(1), in roff (man macros), written
 * from the same description as `--help` (each subcommand's usage lines and
 * summary, the global options, the prose `--help` prints, in `_about.ts`)
 * and prose of its own. Text is escaped for roff: backslashes, hyphens (as `\-`, the minus
 * a command line wants), a control character (`.` or `'`) at the start of a
 * line, non-ASCII characters; one sentence per line, lines of 80 bytes or
 * less, so that `mandoc -T lint` and `groff -ww` find nothing to say.
 *
 * @module
 */

import config from "../../deno.json" with { type: "json" };
import { LOCK_PATH } from "../config/_lock.ts";
import { TUN_PATH } from "../device/_tunfd.ts";
import { NETNS_RUN_DIR } from "../netns/_netns.ts";
import type { Command } from "./_context.ts";
import { type CommandSpec, garbage } from "./_grammar.ts";
import {
  DESCRIPTION,
  EXAMPLES,
  EXIT_STATUS,
  optionHelp,
  shownNames,
  USER_GROUP,
} from "./_about.ts";
import { OPTIONS } from "./_options.ts";

/** The longest text line written. */
const WIDTH = 80;

/**
 * Escapes text for roff: backslashes, hyphens, characters outside ASCII.
 * A control character at the start of a line is {@linkcode lines}' task.
 *
 * @param text The text.
 * @returns The escaped text.
 */
export function escape(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    out += char === "\\"
      ? "\\e"
      : char === "-"
      ? "\\-"
      : code < 0x20 || code > 0x7e
      ? `\\[u${code.toString(16).toUpperCase().padStart(4, "0")}]`
      : char;
  }
  return out;
}

/** A line of text that roff reads as text, never as a request. */
function textLine(line: string): string {
  return /^[.']/.test(line) ? `\\&${line}` : line;
}

/**
 * Roff text lines for a paragraph of (escaped) text in fill mode: a new line
 * for each sentence, lines of at most {@linkcode WIDTH} bytes, none that
 * starts with a space or a control character.
 *
 * @param text The escaped text.
 * @returns The lines.
 */
function lines(text: string): string[] {
  const out: string[] = [];
  for (const sentence of text.trim().split(/(?<=[.!?]) +(?=[A-Z("\\])/)) {
    let line = "";
    for (const word of sentence.split(/ +/)) {
      if (line !== "" && line.length + 1 + word.length > WIDTH) {
        out.push(textLine(line));
        line = word;
      } else line = line === "" ? word : `${line} ${word}`;
    }
    if (line !== "") out.push(textLine(line));
  }
  return out;
}

/** Bold. */
const bold = (text: string) => `\\fB${text}\\fR`;
/** Italic. */
const italic = (text: string) => `\\fI${text}\\fR`;

/**
 * A usage or option spelling, styled as man pages style them: keywords and
 * options bold, the words that stand for a value (`NAME`, `FILE`) italic,
 * the grammar's brackets and bars plain.
 *
 * @param text The spelling, unescaped.
 * @returns The styled, escaped text.
 */
function styled(text: string): string {
  return text.split(/([ ,|{}[\]]+)/).map((part, i) => {
    // A bracket or brace keeps to its neighbour: no line ends in "[".
    if (i % 2 === 1) return escape(part).replace(/([[{]) /g, "$1\\~").replace(/ ([\]}])/g, "\\~$1");
    if (part === "") return part;
    const value = /^([A-Z][A-Z_]*)((?:\.\.\.)?)$/.exec(part);
    if (value) return `${italic(escape(value[1] as string))}${value[2]}`;
    if (/^(-|:=|\+|\.\.\.)$/.test(part)) return escape(part);
    return bold(escape(part));
  }).join("");
}

/**
 * Usage lines as paragraphs: a line and the indented ones after it are one
 * statement (`add … [ one_queue ]`), filled by roff, then a break.
 */
function usageLines(spec: CommandSpec): string[] {
  const statements: string[] = [];
  for (const line of spec.usage) {
    if (/^\s/.test(line) && statements.length > 0) {
      statements[statements.length - 1] += ` ${line.trim()}`;
    } else statements.push(line.trim());
  }
  const first = shownNames(spec)[0] as string;
  return statements.flatMap((statement, i) => [
    ...(i > 0 ? [".br"] : []),
    ...lines(
      statement.startsWith(`${first} `) || statement === first
        ? `${bold("tuntap")} ${styled(statement)}`
        : styled(statement),
    ),
  ]);
}

/** The first letter in lower case. */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * A sentence: a final full stop, and its first letter in upper case unless
 * it starts with a command line's words (`addr show: …`).
 */
function sentence(text: string, words: ReadonlySet<string>): string {
  const trimmed = text.trim();
  const command = /^([a-z]+) [a-z]+:/.exec(trimmed);
  const upper = command && words.has(command[1] as string)
    ? trimmed
    : trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(upper) ? upper : `${upper}.`;
}

function commandEntry(spec: CommandSpec, words: ReadonlySet<string>): string[] {
  return [
    ".TP",
    ...lines(spec.names.map((n) => bold(escape(n))).join(", ")),
    ...usageLines(spec),
    ".br",
    ...lines(escape(sentence(spec.summary, words))),
    ...(spec.actions === undefined || spec.actions.length === 0 ? [] : [
      ".RS",
      ...spec.actions.flatMap((action) => [
        ".TP",
        ...lines(action.names.map((n) => bold(escape(n))).join(", ")),
        ...lines(escape(sentence(action.summary, words))),
      ]),
      ".RE",
    ]),
  ];
}

/** The synopsis line for a group of subcommands. */
function synopsis(words: readonly string[]): string[] {
  return lines(
    `${bold("tuntap")} [ ${italic("OPTIONS")} ] { ${
      words.map((w) => bold(escape(w))).join(" | ")
    } } [ ${italic("ARGS")} ]`,
  );
}

/**
 * The manual page.
 *
 * @param specs Every subcommand's description, in matching order.
 * @param date The date the page shows (the day it is written: the package
 *   states none).
 * @returns The roff source.
 */
export function manPage(specs: readonly CommandSpec[], date: Date = new Date()): string {
  const ip = specs.filter((s) => !s.extension);
  const ours = specs.filter((s) => s.extension);
  const about = DESCRIPTION.join(" ");
  const name = lowerFirst(about.slice(0, about.indexOf(". ")));
  const unlisted = OPTIONS.filter((o) => o.help === undefined).map((o) => bold(escape(o.name)));
  const exitStatus = EXIT_STATUS.join(" ").replace(/^Exit status: /, "");
  const version = `@netdev/tuntap ${config.version}`;
  const words = new Set(specs.flatMap((s) => [...s.names, ...shownNames(s)]));
  return [
    `.\\" tuntap(1), written by "tuntap man" from the CLI's own description: do not edit.`,
    `.TH TUNTAP 1 ${date.toISOString().slice(0, 10)} "${escape(version)}" "User Commands"`,
    // Usage lines read best unhyphenated and unjustified: no "mon-itor", no "[  master".
    ".nh",
    ".ad l",
    ".SH NAME",
    `tuntap \\- ${escape(name)}`,
    ".SH SYNOPSIS",
    ...synopsis(ip.flatMap(shownNames)),
    ".br",
    ...synopsis(ours.flatMap(shownNames)),
    ".br",
    ...lines(`${bold("tuntap")} [ ${bold("\\-force")} ] ${bold("\\-batch")} ${italic("FILE")}|\\-`),
    ".SH DESCRIPTION",
    ...lines(escape(about)),
    ".PP",
    ...lines(escape(
      "Keywords may be abbreviated as ip allows: a word names the first keyword, in ip's order, " +
        "that it is a prefix of (a is add, m is mode), except where ip wants the whole word. " +
        "With no subcommand, tuntap lists the devices, as show does.",
    )),
    ".PP",
    ...lines(escape(USER_GROUP)),
    ".SH OPTIONS",
    ...lines(escape(
      "Options come before the subcommand, as ip reads them: each is matched as a prefix, " +
        "in ip's order (-b is -batch, -f is -family); --x is read as -x; -- ends them.",
    )),
    ...optionHelp().flatMap(([spelling, text]) => [
      ".TP",
      ...lines(styled(spelling)),
      ...lines(escape(sentence(text, words))),
    ]),
    ".PP",
    ...lines(
      `${escape("The other options of ip are accepted as ip accepts them:")} ${
        unlisted.join(", ")
      }.`,
    ),
    ".SH COMMANDS",
    ".SS Commands of ip tuntap",
    ...ip.flatMap((s) => commandEntry(s, words)),
    ".SS Extensions",
    ...lines(escape("Commands ip tuntap does not have (ip rejects their words).")),
    ...ours.flatMap((s) => commandEntry(s, words)),
    ".SH EXIT STATUS",
    ...lines(escape(sentence(exitStatus, words))),
    ".SH FILES",
    ".TP",
    bold(escape(TUN_PATH)),
    ...lines(escape("The TUN/TAP clone device: every device is made by opening it.")),
    ".TP",
    bold(escape(NETNS_RUN_DIR)),
    ...lines(escape(
      "The named network namespaces of -netns NAME (as ip netns makes them), and of a config's netns.",
    )),
    ".TP",
    bold(escape(LOCK_PATH)),
    ...lines(escape(
      "The lock that lets one apply run at a time on a host: the holder's pid is in it.",
    )),
    ".SH EXAMPLES",
    ...EXAMPLES.flatMap((example, i) => [...(i > 0 ? [".br"] : []), ...lines(escape(example))]),
    ".SH SEE ALSO",
    [
      `${bold("ip")}(8),`,
      `${bold("ip\\-address")}(8),`,
      `${bold("ip\\-link")}(8),`,
      `${bold("ip\\-netns")}(8),`,
      `${bold("ip\\-tuntap")}(8)`,
    ].join("\n"),
    "",
  ].join("\n");
}

/** The grammar of `man`. */
export const spec: CommandSpec = {
  extension: true,
  names: ["man"],
  usage: ["man"],
  summary: "print this manual page, tuntap(1), in roff",
  keywords: [],
};

/**
 * The `man` subcommand.
 *
 * @param specs Loads every subcommand's description (the command table
 *   gives it: this module cannot import the table that loads it).
 * @returns The subcommand.
 */
export function manCommand(specs: () => Promise<readonly CommandSpec[]>): Command {
  return {
    spec,
    async run(ctx, words) {
      if (words.length > 0) throw garbage("man", words[0] as string);
      ctx.out.write(manPage(await specs()));
      return 0;
    },
  };
}
