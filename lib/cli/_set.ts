/**
 * `tuntap set`: `ip link set` for TUN/TAP devices, word for word: the same
 * keywords and abbreviations (iproute2 tries them in one order, some as
 * prefixes, some exactly), values read as iproute2 reads them, the same
 * messages and exit statuses (a word it cannot read 255, a device it cannot
 * find 1, a refusal by the kernel 2).
 *
 * ```
 * tuntap set { dev NAME | NAME } [ up | down ] [ mtu MTU ] [ txqueuelen N ]
 *            [ address LLADDR ] [ broadcast LLADDR ] [ master DEVICE | nomaster ]
 *            [ netns { PID | NAME | PATH } [ index IDX ] ] [ name NEWNAME ]
 *            [ arp | multicast | allmulticast | promisc | trailers | dynamic | carrier
 *              | protodown { on | off } ] [ group GROUP ] [ alias TEXT ]
 *            [ state OPERSTATE ] [ mode { default | dormant } ]
 *            [ addrgenmode { eui64 | none | stable_secret | random } ]
 *            [ gso_max_size N ] [ gso_max_segs N ] [ gro_max_size N ]
 * ```
 *
 * @module
 */

import { formatMac, OPERSTATES } from "../device/_device.ts";
import { getTunTap } from "../device/list.ts";
import { linkExists, namespaceTarget } from "../link/_probe.ts";
import { type AddrGenMode, setLink, type SetLinkOptions } from "../link/set.ts";
import type { Command } from "./_context.ts";
import {
  checkIfname,
  CliExit,
  CommandFailed,
  type CommandSpec,
  duplicateArgument,
  garbage,
  incomplete,
  invalidArgument,
  type Keyword,
  matches,
} from "./_grammar.ts";
import { attempt } from "./_io.ts";
import { getInteger, getUnsigned, llAddress } from "./_ipvalues.ts";

/** What `set` asks for. */
export interface SetArgs {
  /** The device. */
  device: string;
  /** The changes. */
  changes: SetLinkOptions;
  /** A MAC address whose length is not a tap's (checked against the device). */
  macLength?: number;
}

/** What the words read so far say. */
interface Reading {
  device?: string;
  changes: SetLinkOptions;
  given: Set<string>;
  index?: number;
  macLength?: number;
}

/** `invarg`: iproute2 ends these messages with a newline of their own. */
function wrong(value: string, message: string): CliExit {
  return new CliExit(`Error: argument "${value}" is wrong: ${message}\n`, 255);
}

function once(r: Reading, key: string, value: string): void {
  if (r.given.has(key)) throw duplicateArgument(key, value);
  r.given.add(key);
}

/**
 * `mtu` and `txqueuelen` given twice: iproute2 notices only when the first
 * value was not -1 (its "not given" mark), and then the second one wins.
 */
function onceUnlessUnset(
  r: Reading,
  key: string,
  field: "mtu" | "txQueueLen",
  value: string,
): void {
  const before = r.changes[field];
  if (before !== undefined && before !== 0xffffffff) throw duplicateArgument(key, value);
}

function onOff(key: string, value: string): boolean {
  if (value === "on" || value === "off") return value === "on";
  throw new CliExit(`Error: argument of "${key}" must be "on" or "off", not "${value}"`, 1);
}

function lladdr(value: string): Uint8Array {
  const bytes = llAddress(value);
  if (bytes instanceof Uint8Array) return bytes;
  throw new CliExit(`"${bytes.invalid}" is invalid lladdr.`, 1);
}

function integer(key: string, value: string): number {
  const n = getInteger(value);
  if (n === undefined) throw wrong(value, `Invalid "${key}" value`);
  return n >>> 0;
}

function unsigned(key: string, value: string): number {
  const n = getUnsigned(value);
  if (n === undefined) throw wrong(value, `Invalid "${key}" value`);
  return n;
}

function oneOf<T extends string>(choices: readonly T[], value: string, message: string): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw wrong(value, message);
}

function flag(
  key: string,
  field: keyof SetLinkOptions,
  match: "exact" | "prefix" = "exact",
): SetKeyword {
  return {
    word: key,
    match,
    value: "onoff",
    read: (r, v) => set(r, field, onOff(key, v())),
  };
}

function set(r: Reading, field: keyof SetLinkOptions, value: unknown): void {
  (r.changes as Record<string, unknown>)[field] = value;
}

function unsupported(word: string, match: "exact" | "prefix" = "exact"): SetKeyword {
  return {
    word,
    match,
    read: () => {
      throw new CliExit(
        `Error: "${word}" is not supported by tuntap set: it does not apply to TUN/TAP devices.`,
        255,
      );
    },
  };
}

/** A keyword of `set` and how it reads its value. */
interface SetKeyword extends Keyword {
  readonly read: (r: Reading, value: () => string, word: string) => void;
}

const ADDR_GEN_MODES: readonly AddrGenMode[] = ["eui64", "none", "stable_secret", "random"];

/** The keywords, in the order iproute2 tries them (it matters for abbreviations). */
const KEYWORDS: readonly SetKeyword[] = [
  { word: "up", match: "exact", read: (r) => set(r, "up", true) },
  { word: "down", match: "exact", read: (r) => set(r, "up", false) },
  {
    word: "name",
    match: "exact",
    value: "name",
    read: (r, value) => {
      const v = value();
      once(r, "name", v);
      if (!checkIfname(v)) throw invalidArgument(v, '"name" not a valid ifname');
      set(r, "name", v);
    },
  },
  {
    word: "index",
    match: "exact",
    value: "number",
    read: (r, value) => {
      const v = value();
      once(r, "index", v);
      const n = getInteger(v);
      if (n === undefined || n < 0) throw wrong(v, 'Invalid "index" value');
      r.index = n;
    },
  },
  // Accepted and left out, as the kernel ignores it on an existing device.
  { word: "link", match: "prefix", value: "device", read: (_r, value) => void value() },
  {
    word: "address",
    match: "prefix",
    value: "mac",
    read: (r, value) => {
      const bytes = lladdr(value());
      set(r, "mac", formatMac(bytes));
      if (bytes.length === 6) delete r.macLength;
      else r.macLength = bytes.length;
    },
  },
  ...["broadcast", "brd"].map((word): SetKeyword => ({
    word,
    match: word === "brd" ? "exact" : "prefix",
    value: "mac",
    read: (r, value) => set(r, "broadcast", formatMac(lladdr(value()))),
  })),
  ...["txqueuelen", "qlen", "txqlen"].map((word): SetKeyword => ({
    word,
    match: word === "qlen" ? "exact" : "prefix",
    value: "number",
    read: (r, value) => {
      const v = value();
      onceUnlessUnset(r, "txqueuelen", "txQueueLen", v);
      set(r, "txQueueLen", integer("txqueuelen", v));
    },
  })),
  {
    word: "mtu",
    match: "exact",
    value: "number",
    read: (r, value) => {
      const v = value();
      onceUnlessUnset(r, "mtu", "mtu", v);
      set(r, "mtu", integer("mtu", v));
    },
  },
  ...["xdpgeneric", "xdpdrv", "xdpoffload", "xdp"].map((w) => unsupported(w)),
  {
    word: "netns",
    match: "exact",
    value: "netns",
    read: (r, value) => {
      const v = value();
      once(r, "netns", v);
      const path = namespaceTarget(v);
      if (path === undefined) throw wrong(v, 'Invalid "netns" value');
      set(r, "moveTo", path);
    },
  },
  flag("multicast", "multicast"),
  flag("allmulticast", "allMulticast"),
  flag("promisc", "promisc"),
  flag("trailers", "trailers"),
  flag("arp", "arp"),
  {
    word: "carrier",
    match: "exact",
    value: "onoff",
    read: (r, value) => {
      const v = value();
      if (v !== "on" && v !== "off") {
        throw new CliExit(
          `Error: argument of "carrier" must be one of "off", "on", not "${v}"`,
          22,
        );
      }
      set(r, "carrier", v === "on");
    },
  },
  unsupported("vf"),
  unsupported("vrf", "prefix"),
  {
    word: "master",
    match: "prefix",
    value: "device",
    read: (r, value) => {
      const v = value();
      if (!linkExists(v)) throw wrong(v, "Device does not exist");
      set(r, "master", v);
    },
  },
  { word: "nomaster", match: "prefix", read: (r) => set(r, "master", null) },
  flag("dynamic", "dynamic", "prefix"),
  unsupported("type", "prefix"),
  {
    word: "alias",
    match: "prefix",
    value: "text",
    read: (r, value) => {
      const v = value();
      if (new TextEncoder().encode(v).length >= 256) throw wrong(v, "alias too long");
      set(r, "alias", v);
    },
  },
  {
    word: "group",
    match: "exact",
    value: "number",
    read: (r, value) => {
      const v = value();
      once(r, "group", v);
      const n = v === "default" ? 0 : getUnsigned(v);
      if (n === undefined) throw wrong(v, 'Invalid "group" value');
      set(r, "group", n);
    },
  },
  {
    word: "mode",
    match: "exact",
    value: "text",
    read: (r, value) =>
      set(r, "linkMode", oneOf(["default", "dormant"], value(), "Invalid link mode")),
  },
  {
    word: "state",
    match: "exact",
    value: "text",
    read: (r, value) =>
      set(r, "operstate", oneOf(OPERSTATES, value().toLowerCase(), "Invalid operstate")),
  },
  // Accepted and left out: the kernel sets the queue counts only at creation.
  ...["numtxqueues", "numrxqueues"].map((word): SetKeyword => ({
    word,
    match: "exact",
    value: "number",
    read: (_r, value) => void unsigned(word, value()),
  })),
  {
    word: "addrgenmode",
    match: "prefix",
    value: "text",
    read: (r, value) =>
      set(r, "addrGenMode", oneOf(ADDR_GEN_MODES, value(), "Invalid address generation mode")),
  },
  unsupported("link-netns", "prefix"),
  unsupported("link-netnsid", "prefix"),
  flag("protodown", "protoDown"),
  unsupported("protodown_reason"),
  ...([["gso_max_size", "gsoMaxSize"], ["gso_max_segs", "gsoMaxSegs"], [
    "gro_max_size",
    "groMaxSize",
  ]] as const).map(([word, field]): SetKeyword => ({
    word,
    match: "exact",
    value: "number",
    read: (r, value) => set(r, field, unsigned(word, value())),
  })),
  unsupported("parentdev"),
];

/**
 * iproute2's check of a `dev` word (`check_altifname`, newest): not empty,
 * shorter than an alternative name may be; and no NUL, which would cut the
 * name short.
 */
function validDev(name: string): boolean {
  const length = new TextEncoder().encode(name).length;
  return length > 0 && length < 128 && !name.includes("\0");
}

function findSetKeyword(word: string): SetKeyword | undefined {
  return KEYWORDS.find((k) => k.match === "exact" ? word === k.word : matches(word, k.word));
}

/** `set … help`: the usage of `set`, with status 255 as iproute2's. */
function usage(): CliExit {
  return new CliExit(`Usage: tuntap ${spec.usage.join("\n         ")}`, 255);
}

/**
 * Parses the arguments of `set` as `ip link set` parses them: keywords are
 * read, and masters and namespaces looked up, in the order written, so the
 * first problem is the one iproute2 reports.
 *
 * @param words The words after `set`.
 * @returns The device and the changes.
 */
export function parseSetArgs(words: readonly string[]): SetArgs {
  const r: Reading = { changes: {}, given: new Set() };
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const value = () => {
      if (++i >= words.length) throw incomplete();
      return words[i] as string;
    };
    const keyword = findSetKeyword(word);
    if (keyword !== undefined) {
      keyword.read(r, value, word);
      continue;
    }
    if (matches(word, "help")) throw usage();
    const name = word === "dev" ? value() : word;
    if (r.device !== undefined) throw garbage("dev", name);
    if (!validDev(name)) throw invalidArgument(name, '"dev" not a valid ifname');
    r.device = name;
  }
  if (r.index !== undefined) {
    if (r.changes.moveTo === undefined) {
      throw new CliExit(
        "index can be used only when creating devices or when moving device to another netns.",
        255,
      );
    }
    r.changes.newIndex = r.index;
  }
  if (r.device === undefined) {
    throw new CliExit('Not enough information: "dev" argument is required.', 255);
  }
  return {
    device: r.device,
    changes: r.changes,
    ...(r.macLength === undefined ? {} : { macLength: r.macLength }),
  };
}

/** The `set` subcommand. */
export const command: Command = {
  spec: {
    extension: true,
    names: ["set"],
    usage: [
      "set { dev NAME | NAME } [ up | down ] [ mtu MTU ] [ txqueuelen N ]",
      "    [ address LLADDR ] [ broadcast LLADDR ] [ master DEVICE | nomaster ]",
      "    [ netns { PID | NAME | PATH } [ index IDX ] ] [ name NEWNAME ]",
      "    [ { arp | multicast | allmulticast | promisc | trailers | dynamic",
      "        | carrier | protodown } { on | off } ] [ group GROUP ] [ alias TEXT ]",
      "    [ state OPERSTATE ] [ mode { default | dormant } ]",
      "    [ addrgenmode { eui64 | none | stable_secret | random } ]",
      "    [ gso_max_size N ] [ gso_max_segs N ] [ gro_max_size N ]",
    ],
    summary: 'change link settings, as "ip link set"',
    keywords: KEYWORDS.map(({ word, match, value }): Keyword =>
      value === undefined ? { word, match } : { word, match, value }
    ),
    operand: "tuntap",
  },
  run(ctx, words) {
    const { device, changes, macLength } = parseSetArgs(words);
    return attempt(ctx, () => {
      // ip checks the length against the device's before it asks the kernel;
      // a tun has no address, so the kernel refuses any.
      if (macLength !== undefined) {
        const found = getTunTap(device);
        if (found === undefined) throw new CommandFailed(`Cannot find device "${device}"`);
        if (found.mode === "tap") {
          throw new CommandFailed(`Invalid address length ${macLength} - must be 6 bytes`);
        }
      }
      setLink(device, changes);
    }, { kernelStatus: 2 });
  },
};

/** The grammar of `set`. */
export const spec: CommandSpec = command.spec;
