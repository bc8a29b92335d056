/**
 * `tuntap addr`: `ip addr` for TUN/TAP devices, word for word: `add`,
 * `change`, `replace`, `del`, `flush` and `show` with iproute2's keywords,
 * abbreviations, value syntax, messages and exit statuses (a word it cannot
 * read 255, an address it cannot read or a device it cannot find 1, a
 * refusal by the kernel 2).
 *
 * ```
 * tuntap addr { add | change | replace } IFADDR dev NAME [ LIFETIME ] [ CONFFLAGS ]
 * tuntap addr del IFADDR dev NAME
 * tuntap addr flush { dev NAME | NAME | to PREFIX | scope SCOPE | label PATTERN | … }
 * tuntap addr [ show ] [ dev NAME ]     (-4 or -6 to pick a family; -j, -p)
 * IFADDR := PREFIX [ peer PREFIX ] [ broadcast ADDR | brd { + | - } ] [ anycast ADDR ]
 *           [ label TEXT ] [ scope SCOPE ] [ metric N ]
 * LIFETIME := [ valid_lft { forever | SECONDS } ] [ preferred_lft { forever | SECONDS } ]
 * CONFFLAGS := [ home | nodad | optimistic | mngtmpaddr | noprefixroute | autojoin ]…
 * ```
 *
 * @module
 */

import {
  addAddress,
  type AddressFlag,
  deleteAddress,
  flushAddresses,
  listAddresses,
  type TunTapAddress,
} from "../address/address.ts";
import { type AddressLink, addressLinks } from "../address/_links.ts";
import { SCOPE_NUMBERS, SCOPES } from "../address/_inet.ts";
import { getTunTap } from "../device/list.ts";
import { linkExists } from "../link/_probe.ts";
import type { Command, Context } from "./_context.ts";
import {
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
import { getAddress, getPrefix, getUnsigned, type IpFamily, type IpPrefix } from "./_ipvalues.ts";
import { linkIsUp, renderAddressLines, renderAddressShow } from "./_addr_show.ts";

/** What `addr add|change|replace|del` asks for. */
export interface AddrArgs {
  /** The family the words settled on (or `-4`/`-6`). */
  family?: IpFamily | undefined;
  /** The local prefix, as written (for messages) and as read. */
  local?: { text: string; prefix: IpPrefix };
  /** The peer prefix. */
  peer?: IpPrefix;
  /** `broadcast ADDR`, `+` or `-`. */
  broadcast?: string;
  /** `anycast ADDR`. */
  anycast?: IpPrefix;
  /** `label TEXT`. */
  label?: string;
  /** `scope`, as a number. */
  scope?: number;
  /** `metric` (`priority`, `preference`). */
  metric?: number;
  /** `valid_lft`, seconds (0xffffffff: forever). */
  validLifetime?: number;
  /** `preferred_lft`. */
  preferredLifetime?: number;
  /** Flags to set. */
  flags: AddressFlag[];
  /** `dev NAME` (the last one given). */
  device?: string;
}

const FOREVER = 0xffffffff;

/** Address flags as `ip addr` knows them: whether they can be set, and on IPv4. */
const ADDRESS_FLAGS: Readonly<Record<string, { settable: boolean; v6only: boolean }>> = {
  secondary: { settable: false, v6only: false },
  temporary: { settable: false, v6only: false },
  nodad: { settable: true, v6only: true },
  optimistic: { settable: true, v6only: true },
  dadfailed: { settable: false, v6only: true },
  home: { settable: true, v6only: true },
  deprecated: { settable: false, v6only: true },
  tentative: { settable: false, v6only: true },
  permanent: { settable: false, v6only: true },
  mngtmpaddr: { settable: true, v6only: true },
  noprefixroute: { settable: true, v6only: false },
  autojoin: { settable: true, v6only: false },
  "stable-privacy": { settable: false, v6only: true },
};

/** Scope names as `ip addr` reads them: the kernel's, and `universe` for global. */
const SCOPE_NAMES: Readonly<Record<string, number>> = { ...SCOPE_NUMBERS, universe: 0 };

/** A scope name or a number of 0 to 255 (iproute2's `rtnl_rtscope_a2n`). */
function scopeNumber(text: string): number | undefined {
  if (Object.hasOwn(SCOPE_NAMES, text)) return SCOPE_NAMES[text];
  const n = getUnsigned(text);
  return n !== undefined && n <= 255 ? n : undefined;
}

function familyWord(family: IpFamily | undefined): string {
  return family ?? "any valid";
}

function prefixOrExit(text: string, family: IpFamily | undefined): IpPrefix {
  const prefix = getPrefix(text, family);
  if (prefix === undefined) {
    throw new CliExit(
      `Error: ${familyWord(family)} prefix is expected rather than "${text}".`,
      1,
    );
  }
  return prefix;
}

function addressOrExit(text: string, family: IpFamily | undefined): IpPrefix {
  const address = getAddress(text, family);
  if (address === undefined) {
    throw new CliExit(
      `Error: ${familyWord(family)} address is expected rather than "${text}".`,
      1,
    );
  }
  return address;
}

function lifetime(key: string, text: string): number {
  if (text === "forever") return FOREVER;
  const n = getUnsigned(text);
  if (n === undefined) throw invalidArgument(text, `${key} value`);
  return n;
}

/** A keyword of `addr add|change|replace|del`. */
interface ModifyKeyword extends Keyword {
  readonly read: (a: AddrArgs, value: () => string, word: string, ctx: Context) => void;
}

/** The keywords, in the order iproute2 tries them. */
const MODIFY_KEYWORDS: readonly ModifyKeyword[] = [
  ...["peer", "remote"].map((word): ModifyKeyword => ({
    word,
    match: "exact",
    value: "prefix",
    read: (a, value) => {
      const v = value();
      if (a.peer !== undefined) throw duplicateArgument("peer", v);
      a.peer = prefixOrExit(v, a.family);
      a.family ??= a.peer.family;
    },
  })),
  ...["broadcast", "brd"].map((word): ModifyKeyword => ({
    word,
    match: word === "brd" ? "exact" : "prefix",
    value: "address",
    read: (a, value) => {
      const v = value();
      if (a.broadcast !== undefined) throw duplicateArgument("broadcast", v);
      if (v !== "+" && v !== "-") {
        const address = addressOrExit(v, a.family);
        a.family ??= address.family;
      }
      a.broadcast = v;
    },
  })),
  {
    word: "anycast",
    match: "exact",
    value: "address",
    read: (a, value) => {
      const v = value();
      if (a.anycast !== undefined) throw duplicateArgument("anycast", v);
      a.anycast = addressOrExit(v, a.family);
      a.family ??= a.anycast.family;
    },
  },
  {
    word: "scope",
    match: "exact",
    value: "scope",
    read: (a, value) => {
      const v = value();
      const scope = scopeNumber(v);
      if (scope === undefined) throw invalidArgument(v, "invalid scope value.");
      a.scope = scope;
    },
  },
  { word: "dev", match: "exact", value: "tuntap", read: (a, value) => a.device = value() },
  { word: "label", match: "exact", value: "text", read: (a, value) => a.label = value() },
  ...["metric", "priority", "preference"].map((word): ModifyKeyword => ({
    word,
    match: word === "metric" ? "exact" : "prefix",
    value: "number",
    read: (a, value) => {
      const v = value();
      const n = getUnsigned(v);
      if (n === undefined) throw invalidArgument(v, '"metric" value is invalid\n');
      a.metric = n;
    },
  })),
  {
    word: "valid_lft",
    match: "prefix",
    value: "lifetime",
    read: (a, value, word) => {
      if (a.validLifetime !== undefined) throw duplicateArgument("valid_lft", word);
      a.validLifetime = lifetime("valid_lft", value());
    },
  },
  {
    word: "preferred_lft",
    match: "prefix",
    value: "lifetime",
    read: (a, value, word) => {
      if (a.preferredLifetime !== undefined) throw duplicateArgument("preferred_lft", word);
      a.preferredLifetime = lifetime("preferred_lft", value());
    },
  },
  ...Object.entries(ADDRESS_FLAGS).map(([word, { settable, v6only }]): ModifyKeyword => ({
    word,
    match: "exact",
    read: (a, _value, _word, ctx) => {
      if (!settable) ctx.err(`Warning: ${word} option is not mutable from userspace\n`);
      else if (v6only && a.family !== "inet6") {
        ctx.err(`Warning: ${word} option can be set only for IPv6 addresses\n`);
      } else a.flags.push(word as AddressFlag);
    },
  })),
];

function contextFamily(ctx: Context): IpFamily | undefined {
  const f = ctx.options.family;
  return f === "inet" || f === "inet6" ? f : undefined;
}

/**
 * Parses the words after `addr add|change|replace|del` as `ip addr` does:
 * the family is settled by the first address read (or `-4`/`-6`), and every
 * later address must be of it.
 *
 * @param ctx The context (the family option; warnings go to its stderr).
 * @param words The words after the action.
 * @returns What they ask for.
 */
export function parseAddrArgs(ctx: Context, words: readonly string[]): AddrArgs {
  const a: AddrArgs = { flags: [] };
  const family = contextFamily(ctx);
  if (family !== undefined) a.family = family;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const value = () => {
      if (++i >= words.length) throw incomplete();
      return words[i] as string;
    };
    const keyword = MODIFY_KEYWORDS.find((k) =>
      k.match === "exact" ? word === k.word : matches(word, k.word)
    );
    if (keyword !== undefined) {
      keyword.read(a, value, word, ctx);
      continue;
    }
    const text = word === "local" ? value() : word;
    if (word !== "local" && matches(word, "help")) throw usage();
    if (a.local !== undefined) throw garbage("local", text);
    const prefix = prefixOrExit(text, a.family);
    a.local = { text, prefix };
    a.family ??= prefix.family;
  }
  return a;
}

/** `addr help`: the usage of `addr`, with status 255 as iproute2's. */
function usage(): CliExit {
  return new CliExit(`Usage: tuntap ${spec.usage.join("\n       tuntap ")}`, 255);
}

/** An address as the library reads it: canonical text, `/LEN` only when written. */
function addressText(prefix: IpPrefix): string {
  return prefix.lengthGiven ? `${prefix.text}/${prefix.length}` : prefix.text;
}

function needDevice(a: AddrArgs): string {
  if (a.device === undefined) {
    throw new CommandFailed('Not enough information: "dev" argument is required.');
  }
  return a.device;
}

function needTunTap(device: string): void {
  if (getTunTap(device) === undefined) throw new CommandFailed(`Cannot find device "${device}"`);
}

/**
 * An address request without an address: the kernel refuses one of no
 * family (EOPNOTSUPP) as it refuses iproute2's; one of a family would name
 * no address, which this tool does not send (it would act on the first
 * address the kernel finds).
 */
function needLocal(a: AddrArgs, device: string): { text: string; prefix: IpPrefix } {
  if (a.local !== undefined && a.local.prefix.family !== undefined) return a.local;
  needTunTap(device);
  if (a.family === undefined) {
    throw new CommandFailed("RTNETLINK answers: Operation not supported", 2);
  }
  throw new CommandFailed(
    `Not enough information: an ${a.family} address is required (tuntap does not delete the first one it finds).`,
  );
}

function modify(ctx: Context, words: readonly string[], request: "add" | "change" | "replace") {
  const a = parseAddrArgs(ctx, words);
  return attempt(ctx, () => {
    const device = needDevice(a);
    const local = needLocal(a, device);
    addAddress(device, addressText(local.prefix), {
      ...(a.peer ? { peer: addressText(a.peer) } : {}),
      ...(a.broadcast === undefined ? {} : {
        broadcast: a.broadcast === "+" || a.broadcast === "-"
          ? a.broadcast
          : (getAddress(a.broadcast, a.family) as IpPrefix).text,
      }),
      ...(a.anycast ? { anycast: a.anycast.text } : {}),
      ...(a.label === undefined ? {} : { label: a.label }),
      ...(a.scope === undefined ? {} : { scope: a.scope }),
      ...(a.metric === undefined ? {} : { metric: a.metric }),
      ...(a.validLifetime === undefined ? {} : { validLifetime: a.validLifetime }),
      ...(a.preferredLifetime === undefined ? {} : { preferredLifetime: a.preferredLifetime }),
      ...(a.flags.length > 0 ? { flags: a.flags } : {}),
      ...(request === "replace" ? { replace: true } : request === "change" ? { change: true } : {}),
    });
  }, { kernelStatus: 2 });
}

function remove(ctx: Context, words: readonly string[]): number {
  const a = parseAddrArgs(ctx, words);
  return attempt(ctx, () => {
    const device = needDevice(a);
    const local = needLocal(a, device);
    if (a.peer === undefined && local.prefix.family === "inet" && !local.prefix.lengthGiven) {
      ctx.err(
        "Warning: Executing wildcard deletion to stay compatible with old scripts.\n" +
          `         Explicitly specify the prefix length (${local.text}/32) to avoid this warning.\n` +
          "         This special behaviour is likely to disappear in further releases,\n" +
          "         fix your scripts!\n",
      );
    }
    // ip checks lifetimes for a deletion too, once it has found the device.
    if (a.validLifetime !== undefined || a.preferredLifetime !== undefined) {
      needTunTap(device);
      const valid = a.validLifetime ?? FOREVER;
      if (valid === 0) throw new CommandFailed("valid_lft is zero");
      if (valid < (a.preferredLifetime ?? FOREVER)) {
        throw new CommandFailed("preferred_lft is greater than valid_lft");
      }
    }
    deleteAddress(device, addressText(local.prefix), {
      ...(a.peer ? { peer: addressText(a.peer) } : {}),
      ...(a.label === undefined ? {} : { label: a.label }),
    });
  }, { kernelStatus: 2 });
}

/** What `addr flush` and `addr show` select. */
interface Selection {
  device?: string;
  to?: IpPrefix;
  scope?: number;
  label?: string;
  /** `primary` (false) or `secondary` (true). */
  secondary?: boolean;
  /** Flags an address must have (`true`) or not have (`false`), as `ip addr` names them. */
  flags: [string, boolean][];
  /** `up` (true) or `down` (false): links that are or are not up. */
  up?: boolean;
  /** `master NAME`: links with this master. */
  master?: string;
  /** `group GROUP`: links in this group. */
  group?: number;
  /** `type KIND`: links of this kind (TUN/TAP devices are of kind `tun`). */
  type?: string;
}

/** Flag words a selection can name (optionally with `-` for "without"). */
const FLAG_FILTERS = new Set([
  "nodad",
  "optimistic",
  "dadfailed",
  "home",
  "deprecated",
  "tentative",
  "permanent",
  "dynamic",
  "mngtmpaddr",
  "noprefixroute",
  "autojoin",
  "stable-privacy",
]);

/** Selection words of `ip addr show` that pick links by what tuntap does not look at. */
const UNSUPPORTED_SELECTIONS = new Set(["vrf", "proto", "nomaster"]);

function parseSelection(ctx: Context, words: readonly string[]): Selection {
  const s: Selection = { flags: [] };
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const value = () => {
      if (++i >= words.length) throw incomplete();
      return words[i] as string;
    };
    const flag = word.startsWith("-") ? word.slice(1) : word;
    if (word === "to") s.to = prefixOrExit(value(), contextFamily(ctx));
    else if (word === "scope") {
      const v = value();
      const scope = v === "all" ? undefined : scopeNumber(v);
      if (scope === undefined && v !== "all") throw invalidArgument(v, 'invalid "scope"\n');
      if (scope !== undefined) s.scope = scope;
    } else if (word === "label") s.label = value();
    else if (word === "secondary" || word === "temporary") s.secondary = true;
    else if (word === "primary") s.secondary = false;
    else if (word === "up" || word === "down") s.up = word === "up";
    else if (FLAG_FILTERS.has(flag)) s.flags.push([flag, flag === word]);
    else if (word === "master") s.master = value();
    else if (word === "type") s.type = value();
    else if (word === "group") {
      const v = value();
      const n = v === "default" ? 0 : getUnsigned(v);
      if (n === undefined) throw invalidArgument(v, 'Invalid "group" value\n');
      s.group = n;
    } else if (UNSUPPORTED_SELECTIONS.has(word)) {
      throw new CliExit(
        `Error: "${word}" is not supported by tuntap addr: it lists TUN/TAP devices only.`,
        255,
      );
    } else {
      if (matches(word, "help")) throw usage();
      const name = word === "dev" ? value() : word;
      if (s.device !== undefined) throw garbage("dev", name);
      s.device = name;
    }
  }
  return s;
}

/** Whether a selection looks at addresses (then links without a match are left out). */
function needLink(s: Selection): void {
  if (s.device !== undefined && !linkExists(s.device)) {
    throw new CommandFailed(`Device "${s.device}" does not exist.`);
  }
}

function selectsAddresses(s: Selection): boolean {
  return s.to !== undefined || s.scope !== undefined || s.label !== undefined ||
    s.secondary !== undefined || s.flags.length > 0;
}

/** A shell pattern (`fnmatch` without flags) as a regular expression. */
function globRegExp(pattern: string): RegExp {
  const body = Array.from(
    pattern,
    (c) => c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.+()|{}[\]]/g, "\\$&"),
  ).join("");
  return new RegExp(`^${body}$`, "s");
}

function flush(ctx: Context, words: readonly string[]): number {
  if (words.length === 0) throw new CliExit("Flush requires arguments.", 1);
  if (ctx.options.family === "link") throw new CliExit("Cannot flush link addresses.", 1);
  const s = parseSelection(ctx, words);
  const family = contextFamily(ctx);
  const label = s.label === undefined ? undefined : globRegExp(s.label);
  return attempt(ctx, () => {
    needLink(s);
    const flushed: TunTapAddress[] = [];
    const devices = s.device !== undefined ? [s.device] : [
      ...new Set(listAddresses(family === undefined ? {} : { family }).map((a) => a.device)),
    ];
    for (const device of devices) {
      flushed.push(...flushAddresses(device, {
        ...(family === undefined ? {} : { family }),
        select: (a) => select(s, label, a),
      }));
    }
    if (ctx.options.stats === 0) return;
    if (flushed.length === 0) {
      ctx.out.write("Nothing to flush.\n");
      return;
    }
    if (ctx.options.stats > 1) ctx.out.write(renderAddressLines(flushed));
    ctx.out.write(
      `\n*** Round 1, deleting ${flushed.length} addresses ***\n` +
        "*** Flush is complete after 1 round ***\n",
    );
  }, { kernelStatus: 2 });
}

/** Whether an address is one a selection picks. */
function select(s: Selection, label: RegExp | undefined, a: TunTapAddress): boolean {
  return (s.scope === undefined || a.scope === (SCOPES[s.scope] ?? String(s.scope))) &&
    (s.secondary === undefined || a.flags.includes("secondary") === s.secondary) &&
    (label === undefined || label.test(a.label ?? a.device)) &&
    (s.to === undefined || inPrefix(getAddress(a.address, undefined)?.bytes, s.to)) &&
    s.flags.every(([flag, wanted]) => hasFlag(a, flag) === wanted);
}

function hasFlag(a: TunTapAddress, flag: string): boolean {
  if (flag === "dynamic") return !a.flags.includes("permanent");
  return a.flags.includes(flag === "home" ? "homeaddress" : flag);
}

/** Whether an address lies in a prefix. */
function inPrefix(bytes: Uint8Array | undefined, prefix: IpPrefix): boolean {
  if (bytes === undefined || bytes.length !== prefix.bytes.length) return false;
  for (let bit = 0; bit < prefix.length; bit++) {
    const mask = 0x80 >> (bit % 8);
    if (((bytes[bit >> 3] as number) & mask) !== ((prefix.bytes[bit >> 3] as number) & mask)) {
      return false;
    }
  }
  return true;
}

function show(ctx: Context, words: readonly string[]): number {
  const s = parseSelection(ctx, words);
  // A prefix sets the family, as a family option does.
  const family = s.to?.family ?? ctx.options.family;
  const label = s.label === undefined ? undefined : globRegExp(s.label);
  const byAddress = selectsAddresses(s);
  return attempt(ctx, () => {
    needLink(s);
    const links: AddressLink[] = [];
    for (
      const link of addressLinks({
        ...(s.device === undefined ? {} : { name: s.device }),
        ...(family === "inet" || family === "inet6" ? { family } : {}),
      })
    ) {
      if (s.up !== undefined && linkIsUp(link) !== s.up) continue;
      if (s.master !== undefined && link.master !== s.master) continue;
      if (s.group !== undefined && (link.link.group ?? 0) !== s.group) continue;
      if (s.type !== undefined && s.type !== "tun") continue;
      if (family === "link") {
        links.push({ ...link, addresses: [] });
        continue;
      }
      const addresses = link.addresses.filter((a) => select(s, label, a));
      const shown = family === "inet" || family === "inet6"
        ? addresses.length > 0
        : !byAddress || addresses.length > 0 || link.addresses.length === 0;
      if (shown) links.push({ ...link, addresses });
    }
    ctx.out.write(renderAddressShow(ctx, {
      links,
      noHeaders: label !== undefined,
      noLinkLayer: family !== undefined && family !== "link",
      linksOnly: family === "link",
      ipv6Dump: family === "inet6" && s.device === undefined,
    }));
  });
}

/** The actions, in the order iproute2 matches them. */
const ACTIONS: readonly (readonly [
  test: (word: string) => boolean,
  run: (ctx: Context, words: readonly string[]) => number,
])[] = [
  [(w) => matches(w, "add"), (ctx, words) => modify(ctx, words, "add")],
  [(w) => matches(w, "change") || w === "chg", (ctx, words) => modify(ctx, words, "change")],
  [(w) => matches(w, "replace"), (ctx, words) => modify(ctx, words, "replace")],
  [(w) => matches(w, "delete"), remove],
  [(w) => matches(w, "list") || matches(w, "show") || matches(w, "lst"), show],
  [(w) => matches(w, "flush"), flush],
  [(w) => matches(w, "help"), () => {
    throw usage();
  }],
];

const MODIFY: readonly Keyword[] = MODIFY_KEYWORDS.map(({ word, match, value }): Keyword =>
  value === undefined ? { word, match } : { word, match, value }
);
const SELECT: readonly Keyword[] = [
  { word: "dev", match: "exact", value: "tuntap" },
  { word: "to", match: "exact", value: "prefix" },
  { word: "scope", match: "exact", value: "scope" },
  { word: "label", match: "exact", value: "text" },
  { word: "primary", match: "exact" },
  { word: "secondary", match: "exact" },
];

/** The grammar of `addr`. */
export const spec: CommandSpec = {
  extension: true,
  names: ["address"],
  usage: [
    "addr { add | change | replace } IFADDR dev NAME [ LIFETIME ] [ CONFFLAG... ]",
    "addr del IFADDR dev NAME",
    "addr flush { dev NAME | to PREFIX | scope SCOPE | label PATTERN | primary | secondary }...",
    "addr [ show ] [ dev NAME ] [ to PREFIX ] [ scope SCOPE ] [ label PATTERN ]",
    "IFADDR := PREFIX [ peer PREFIX ] [ broadcast ADDR | brd { + | - } ] [ anycast ADDR ]",
    "          [ label TEXT ] [ scope { global | site | link | host | NUMBER } ] [ metric N ]",
    "LIFETIME := [ valid_lft { forever | SECONDS } ] [ preferred_lft { forever | SECONDS } ]",
    "CONFFLAG := home | nodad | optimistic | mngtmpaddr | noprefixroute | autojoin",
  ],
  summary: 'IPv4 and IPv6 addresses, as "ip addr" (-4, -6: one family)',
  keywords: [],
  actions: [
    { names: ["add"], usage: [], summary: "add an address", keywords: MODIFY, operand: "prefix" },
    {
      names: ["change", "chg"],
      usage: [],
      summary: "change an address",
      keywords: MODIFY,
      operand: "prefix",
    },
    {
      names: ["replace"],
      usage: [],
      summary: "add or replace an address",
      keywords: MODIFY,
      operand: "prefix",
    },
    {
      names: ["delete"],
      usage: [],
      summary: "delete an address",
      keywords: MODIFY,
      operand: "prefix",
    },
    {
      names: ["show", "list", "lst"],
      usage: [],
      summary: "list addresses",
      keywords: SELECT,
      operand: "tuntap",
    },
    {
      names: ["flush"],
      usage: [],
      summary: "delete the addresses selected",
      keywords: SELECT,
      operand: "tuntap",
    },
  ],
};

/** The `addr` subcommand. */
export const command: Command = {
  spec,
  run(ctx, words) {
    const [first = "show", ...rest] = words;
    const action = ACTIONS.find(([test]) => test(first));
    if (action === undefined) {
      throw new CliExit(`Command "${first}" is unknown, try "tuntap addr help".`, 255);
    }
    return action[1](ctx, rest);
  },
};
