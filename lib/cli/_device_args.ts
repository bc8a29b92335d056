/**
 * The arguments of `add` and `del`, parsed as `ip tuntap` parses them:
 * keywords are case-sensitive prefixes tried in a fixed order, any other
 * word is the device name, and errors come out in argument order.
 *
 * @module
 */

import { resolveGroup, resolveUser } from "../ids.ts";
import type { TunTapMode } from "../types.ts";
import { CliExit, matches } from "./_grammar.ts";
import { checkIfname, eachWord, garbage, invalidArgument, parseMode, usage } from "./_grammar.ts";

/** What `add` and `del` print, with exit status 1, when no mode was given (and `del` has a name). */
export const NO_MODE = "You failed to specify a tunnel mode\n";

/** The arguments of `add` and `del`. */
export interface DeviceArgs {
  /** `mode`; absent when not given ("You failed to specify a tunnel mode"). */
  mode?: TunTapMode;
  /** `name`, `dev` or a bare word; several only in the extension form of `del`. */
  names: string[];
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

/** Resolves `user` and `group` values while parsing, as iproute2 does. */
export interface IdResolver {
  /** A uid, `undefined` for none (-1); throws when there is no such user. */
  user(value: string): number | undefined;
  /** A gid, `undefined` for none (-1); throws when there is no such group. */
  group(value: string): number | undefined;
}

/** NSS lookups, as iproute2 makes them. */
export const NSS: IdResolver = { user: resolveUser, group: resolveGroup };

function setId(
  args: DeviceArgs,
  field: "owner" | "group",
  kind: "user" | "group",
  value: string,
  r: IdResolver,
): void {
  let id: number | undefined;
  try {
    id = kind === "user" ? r.user(value) : r.group(value);
  } catch {
    throw new CliExit(`invalid ${kind} "${value}"`, 255);
  }
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
      if (!checkIfname(v)) throw invalidArgument(v, '"dev" not a valid ifname');
      a.names[0] = v;
    },
  },
];

/**
 * Parses the arguments of `add` or `del`.
 *
 * @param words The words after the subcommand.
 * @param add Whether it is `add` (`user` and `group` are keywords only there).
 * @param resolver Resolves `user` and `group` values.
 * @param manyNames Whether further bare words are more names (the `del NAME NAME...`
 *   extension) instead of garbage.
 * @returns The arguments.
 */
export function parseDeviceArgs(
  words: readonly string[],
  add: boolean,
  resolver: IdResolver = NSS,
  manyNames = false,
): DeviceArgs {
  const args: DeviceArgs = {
    names: [],
    pi: false,
    oneQueue: false,
    vnetHdr: false,
    multiQueue: false,
  };
  eachWord(words, (word, value) => {
    const keyword = KEYWORDS.find((k) => (add || !k.addOnly) && matches(word, k.word));
    if (keyword) {
      keyword.apply(args, keyword.value ? value() : "", resolver);
      return;
    }
    let name = word;
    if (matches(word, "name")) name = value();
    else if (matches(word, "help")) throw usage();
    if (args.names.length > 0 && !manyNames) throw garbage("name", name);
    if (!checkIfname(name)) throw invalidArgument(name, '"name" not a valid ifname');
    args.names.push(name);
  });
  return args;
}
