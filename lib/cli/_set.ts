/**
 * `tuntap set`: link settings of a TUN/TAP device, in the words of
 * `ip link set`.
 *
 * ```
 * tuntap set { dev NAME | NAME } [ up | down ] [ mtu MTU ] [ txqueuelen N ]
 *            [ address LLADDR ] [ master DEVICE | nomaster ] [ netns NS ] [ name NEWNAME ]
 * ```
 *
 * @module
 */

import { parseMac } from "../device/_device.ts";
import { setLink, type SetLinkOptions } from "../link/set.ts";
import type { Command } from "./_context.ts";
import {
  checkIfname,
  CliExit,
  type CommandSpec,
  eachWord,
  garbage,
  invalidArgument,
  type Keyword,
} from "./_grammar.ts";
import { attempt } from "./_io.ts";

/** What `set` asks for. */
export interface SetArgs {
  /** The device. */
  device: string;
  /** The changes. */
  changes: SetLinkOptions;
}

function duplicate(key: string, value: string): CliExit {
  return new CliExit(`Error: duplicate "${key}": "${value}" is the second value.`, 255);
}

function unsigned(key: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) {
    throw invalidArgument(value, `Invalid "${key}" value`);
  }
  return Number(value);
}

function ifname(key: string, value: string): string {
  if (!checkIfname(value)) throw invalidArgument(value, `"${key}" not a valid ifname`);
  return value;
}

/** Keywords of `set`: how each stores its value (or, without a value, its meaning). */
const KEYWORDS: Readonly<
  Record<
    string,
    readonly [field: keyof SetLinkOptions, read: ((v: string) => unknown) | null, fixed?: unknown]
  >
> = {
  up: ["up", null, true],
  down: ["up", null, false],
  mtu: ["mtu", (v) => unsigned("mtu", v)],
  txqueuelen: ["txQueueLen", (v) => unsigned("txqueuelen", v)],
  txqlen: ["txQueueLen", (v) => unsigned("txqueuelen", v)],
  qlen: ["txQueueLen", (v) => unsigned("txqueuelen", v)],
  address: [
    "mac",
    (v) => {
      if (parseMac(v) === undefined) throw invalidArgument(v, '"address" is not a MAC address');
      return v;
    },
  ],
  master: ["master", (v) => ifname("master", v)],
  nomaster: ["master", null, null],
  netns: ["moveTo", (v) => v],
  name: ["name", (v) => ifname("name", v)],
};

const VALUES: Readonly<Record<string, Keyword["value"]>> = {
  mtu: "number",
  txqueuelen: "number",
  txqlen: "number",
  qlen: "number",
  address: "mac",
  master: "device",
  netns: "netns",
  name: "name",
};

/** The grammar of `set`. */
export const spec: CommandSpec = {
  extension: true,
  names: ["set"],
  usage: [
    "set { dev NAME | NAME } [ up | down ] [ mtu MTU ] [ txqueuelen N ]",
    "    [ address LLADDR ] [ master DEVICE | nomaster ] [ netns NS ] [ name NEW ]",
  ],
  summary: 'change link settings, as "ip link set"',
  keywords: Object.keys(KEYWORDS).map((word): Keyword => {
    const value = VALUES[word];
    return value === undefined ? { word, match: "exact" } : { word, match: "exact", value };
  }),
  operand: "tuntap",
};

/**
 * Parses the arguments of `set`.
 *
 * @param words The words after `set`.
 * @returns The device and the changes.
 */
export function parseSetArgs(words: readonly string[]): SetArgs {
  let device: string | undefined;
  const changes: SetLinkOptions = {};
  const given = new Set<string>();
  eachWord(words, (word, value) => {
    const keyword = Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word] : undefined;
    if (keyword === undefined) {
      const name = word === "dev" ? value() : word;
      if (device !== undefined) throw garbage("dev", name);
      device = ifname("dev", name);
      return;
    }
    const [field, read, fixed] = keyword;
    const text = read ? value() : word;
    if (read && given.has(field)) throw duplicate(word, text);
    given.add(field);
    (changes as Record<string, unknown>)[field] = read ? read(text) : fixed;
  });
  if (device === undefined) {
    throw new CliExit('Not enough information: "dev" argument is required.', 255);
  }
  return { device, changes };
}

/** The `set` subcommand. */
export const command: Command = {
  spec,
  run(ctx, words) {
    const { device, changes } = parseSetArgs(words);
    return attempt(ctx, () => void setLink(device, { ...changes }));
  },
};
