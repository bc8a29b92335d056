/**
 * The `tuntap` command words, parsed as `ip tuntap` parses them: keywords
 * are case-sensitive prefixes tried in a fixed order, any other word is the
 * device name, and errors come out in argument order with iproute2's
 * messages and exit status 255.
 *
 * @module
 */

import type { TunTapMode } from "../types.ts";
import { CliExit, matches } from "./_exit.ts";
import { IP_USAGE } from "./_help.ts";

/** The arguments of `add` and `del`. */
export interface DeviceArgs {
  /** `mode`; absent when not given ("You failed to specify a tunnel mode"). */
  mode?: TunTapMode;
  /** `name`, `dev` or a bare word. */
  name?: string;
  /** `user`, resolved; absent when not given or -1. */
  owner?: number;
  /** `group`, resolved; absent when not given or -1. */
  group?: number;
  /** `pi`. */
  pi: boolean;
  /** `one_queue`. */
  oneQueue: boolean;
  /** `vnet_hdr`. */
  vnetHdr: boolean;
  /** `multi_queue`. */
  multiQueue: boolean;
}

/** The filters of `show`. */
export interface ShowArgs {
  /** `dev NAME` or `name NAME`. */
  name?: string;
  /** `mode tun|tap`. */
  mode?: TunTapMode;
}

/** A parsed command. */
export type Command =
  | { kind: "add"; args: DeviceArgs }
  | { kind: "del"; args: DeviceArgs }
  | { kind: "show"; args: ShowArgs };

/** Resolves `user` and `group` values while parsing, as iproute2 does. */
export interface IdResolver {
  /** A uid, `undefined` for none (-1); throws when there is no such user. */
  user(value: string): number | undefined;
  /** A gid, `undefined` for none (-1); throws when there is no such group. */
  group(value: string): number | undefined;
}

/** iproute2's `usage()` for `ip tuntap`. */
export function usage(): CliExit {
  return new CliExit(IP_USAGE.trimEnd(), 255);
}

function incomplete(): CliExit {
  return new CliExit('Command line is not complete. Try option "help"', 255);
}

const encoder = new TextEncoder();

/**
 * iproute2's `check_ifname` (newest): 1 to 15 bytes, no `/`, no whitespace,
 * not `.` or `..`.
 *
 * @param name The name.
 * @returns Whether iproute2 accepts it.
 */
export function checkIfname(name: string): boolean {
  const length = encoder.encode(name).byteLength;
  return length > 0 && length < 16 && name !== "." && name !== ".." && !/[/ \t\n\v\f\r]/.test(name);
}

function parseMode(value: string, current: TunTapMode | undefined): TunTapMode {
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

function resolveId(
  kind: "user" | "group",
  value: string,
  resolver: IdResolver,
): number | undefined {
  try {
    return kind === "user" ? resolver.user(value) : resolver.group(value);
  } catch {
    throw new CliExit(`invalid ${kind} "${value}"`, 255);
  }
}

function setId(
  args: DeviceArgs,
  field: "owner" | "group",
  kind: "user" | "group",
  value: string,
  resolver: IdResolver,
): void {
  const id = resolveId(kind, value, resolver);
  if (id === undefined) delete args[field];
  else args[field] = id;
}

interface Keyword {
  readonly word: string;
  /** Not a keyword of `del` (where it becomes a name). */
  readonly addOnly?: boolean;
  readonly value?: boolean;
  readonly apply: (args: DeviceArgs, value: string, resolver: IdResolver) => void;
}

/** The keywords of `add` and `del`, in iproute2's matching order. */
const KEYWORDS: readonly Keyword[] = [
  { word: "mode", value: true, apply: (a, v) => a.mode = parseMode(v, a.mode) },
  { word: "user", addOnly: true, value: true, apply: (a, v, r) => setId(a, "owner", "user", v, r) },
  {
    word: "group",
    addOnly: true,
    value: true,
    apply: (a, v, r) => setId(a, "group", "group", v, r),
  },
  { word: "pi", apply: (a) => a.pi = true },
  { word: "one_queue", apply: (a) => a.oneQueue = true },
  { word: "vnet_hdr", apply: (a) => a.vnetHdr = true },
  { word: "multi_queue", apply: (a) => a.multiQueue = true },
  {
    word: "dev",
    value: true,
    apply: (a, v) => {
      if (!checkIfname(v)) {
        throw new CliExit(`Error: argument "${v}" is wrong: "dev" not a valid ifname`, 255);
      }
      a.name = v;
    },
  },
];

/**
 * Parses the arguments of `add` or `del`.
 *
 * @param words The words after the subcommand.
 * @param add Whether it is `add` (`user` and `group` are keywords only there).
 * @param resolver Resolves `user` and `group` values.
 * @returns The arguments.
 */
export function parseDeviceArgs(
  words: readonly string[],
  add: boolean,
  resolver: IdResolver,
): DeviceArgs {
  const args: DeviceArgs = { pi: false, oneQueue: false, vnetHdr: false, multiQueue: false };
  for (let i = 0; i < words.length; i++) {
    let word = words[i] as string;
    const keyword = KEYWORDS.find((k) => (add || !k.addOnly) && matches(word, k.word));
    if (keyword) {
      let value = "";
      if (keyword.value) {
        if (++i >= words.length) throw incomplete();
        value = words[i] as string;
      }
      keyword.apply(args, value, resolver);
      continue;
    }
    if (matches(word, "name")) {
      if (++i >= words.length) throw incomplete();
      word = words[i] as string;
    } else if (matches(word, "help")) {
      throw usage();
    }
    if (args.name !== undefined) {
      throw new CliExit(`Error: either "name" is duplicate, or "${word}" is garbage.`, 255);
    }
    if (!checkIfname(word)) {
      throw new CliExit(`Error: argument "${word}" is wrong: "name" not a valid ifname`, 255);
    }
    args.name = word;
  }
  return args;
}

/**
 * Parses the filters of `show`: `dev NAME` (or `name NAME`) and
 * `mode tun|tap`. Other words are ignored, as iproute2 ignores all of them.
 *
 * @param words The words after the subcommand.
 * @returns The filters.
 */
export function parseShowArgs(words: readonly string[]): ShowArgs {
  const args: ShowArgs = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const isMode = matches(word, "mode");
    if (!isMode && !matches(word, "dev") && !matches(word, "name")) continue;
    if (++i >= words.length) throw incomplete();
    const value = words[i] as string;
    if (isMode) args.mode = parseMode(value, args.mode);
    else args.name = value;
  }
  return args;
}

/** Subcommands in iproute2's matching order. */
const SUBCOMMANDS:
  readonly (readonly [readonly string[], (words: readonly string[], r: IdResolver) => Command])[] =
    [
      [["add"], (w, r) => ({ kind: "add", args: parseDeviceArgs(w, true, r) })],
      [["delete"], (w, r) => ({ kind: "del", args: parseDeviceArgs(w, false, r) })],
      [["show", "lst", "list"], (w) => ({ kind: "show", args: parseShowArgs(w) })],
      [["help"], () => {
        throw usage();
      }],
    ];

/**
 * Parses a `tuntap` command line (after the global options).
 *
 * @param words The words; none means `show`.
 * @param resolver Resolves `user` and `group` values.
 * @returns The command.
 */
export function parseCommand(words: readonly string[], resolver: IdResolver): Command {
  const [first, ...rest] = words;
  if (first === undefined) return { kind: "show", args: {} };
  for (const [keywords, parse] of SUBCOMMANDS) {
    if (keywords.some((k) => matches(first, k))) return parse(rest, resolver);
  }
  throw new CliExit(`Command "${first}" is unknown, try "ip tuntap help".`, 255);
}

/** Every subcommand keyword, for telling a batch line's object word from a command. */
export const SUBCOMMAND_WORDS: readonly string[] = SUBCOMMANDS.flatMap(([keywords]) => keywords);
