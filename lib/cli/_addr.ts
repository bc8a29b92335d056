/**
 * `tuntap addr`: addresses of TUN/TAP devices, in the words of `ip addr`.
 *
 * ```
 * tuntap addr { add | replace | del } ADDRESS[/LEN] [ peer PEER[/LEN] ] dev NAME
 * tuntap addr flush dev NAME
 * tuntap addr show [ dev NAME ]          (-4 or -6 to pick a family)
 * ```
 *
 * @module
 */

import {
  addAddress,
  type AddressFamily,
  deleteAddress,
  flushAddresses,
  listAddresses,
  type TunTapAddress,
} from "../address/address.ts";
import { parseInetPrefix } from "../address/_inet.ts";
import type { Command, Context } from "./_context.ts";
import {
  checkIfname,
  CliExit,
  type CommandSpec,
  eachWord,
  garbage,
  invalidArgument,
  type Keyword,
  matches,
} from "./_grammar.ts";
import { attempt, interruptedOption } from "./_io.ts";
import { IpJsonWriter } from "./_json.ts";

/** Words after `addr ACTION`. */
export interface AddrArgs {
  /** `ADDRESS[/LEN]`. */
  address?: string;
  /** `peer PEER[/LEN]`. */
  peer?: string;
  /** `dev NAME`. */
  device?: string;
}

function prefix(value: string): string {
  if (parseInetPrefix(value) === undefined) {
    throw new CliExit(`Error: any valid prefix is expected rather than "${value}".`, 255);
  }
  return value;
}

/**
 * Parses `[local] ADDRESS[/LEN] [peer PEER] dev NAME`.
 *
 * @param words The words after the action.
 * @returns The arguments.
 */
export function parseAddrArgs(words: readonly string[]): AddrArgs {
  const args: AddrArgs = {};
  eachWord(words, (word, value) => {
    if (word === "dev") {
      const name = value();
      if (args.device !== undefined) throw garbage("dev", name);
      if (!checkIfname(name)) throw invalidArgument(name, '"dev" not a valid ifname');
      args.device = name;
    } else if (word === "peer" || word === "remote") {
      if (args.peer !== undefined) throw garbage("peer", word);
      args.peer = prefix(value());
    } else {
      const text = word === "local" ? value() : word;
      if (args.address !== undefined) throw garbage("local", text);
      args.address = prefix(text);
    }
  });
  return args;
}

function needDevice(args: AddrArgs): string {
  if (args.device === undefined) {
    throw new CliExit('Not enough information: "dev" argument is required.', 255);
  }
  return args.device;
}

function needAddress(args: AddrArgs): string {
  if (args.address === undefined) {
    throw new CliExit("Not enough information: an address is required.", 255);
  }
  return args.address;
}

function family(ctx: Context): AddressFamily | undefined {
  const f = ctx.options.family;
  return f === "inet" || f === "inet6" ? f : undefined;
}

function renderText(addresses: readonly TunTapAddress[]): string {
  return addresses.map((a) => {
    const local = a.peer === undefined
      ? `${a.address}/${a.prefixLength}`
      : `${a.address} peer ${a.peer}/${a.prefixLength}`;
    const flags = a.flags.length > 0 ? ` ${a.flags.join(" ")}` : "";
    return `${a.device}: ${a.family} ${local} scope ${a.scope}${flags}\n`;
  }).join("");
}

function renderJson(addresses: readonly TunTapAddress[], pretty: boolean): string {
  const w = new IpJsonWriter(pretty).startArray();
  for (const a of addresses) {
    w.startObject().name("ifname").string(a.device).name("ifindex").number(a.index)
      .name("family").string(a.family).name("local").string(a.address).name("prefixlen").number(
        a.prefixLength,
      )
      .name("peer").optionalString(a.peer).name("broadcast").optionalString(a.broadcast)
      .name("scope").string(a.scope).name("label").optionalString(a.label).name("flags").strings(
        a.flags,
      )
      .name("valid_life_time").optionalNumber(a.validLifetime)
      .name("preferred_life_time").optionalNumber(a.preferredLifetime).endObject();
  }
  return w.endArray().finish();
}

type Action = (ctx: Context, args: AddrArgs) => void;

const ACTIONS: readonly (readonly [readonly string[], Action])[] = [
  [
    ["add"],
    (_ctx, a) => addAddress(needDevice(a), needAddress(a), { ...peerOf(a) }),
  ],
  [
    ["replace"],
    (_ctx, a) =>
      addAddress(needDevice(a), needAddress(a), {
        ...peerOf(a),
        replace: true,
      }),
  ],
  [
    ["delete"],
    (_ctx, a) => void deleteAddress(needDevice(a), needAddress(a), { ...peerOf(a) }),
  ],
  [["show", "list", "lst"], (ctx, a) => {
    const found = listAddresses({
      ...deviceOf(a),
      ...familyOf(ctx),
      ...interruptedOption(ctx),
    });
    ctx.out.write(ctx.options.json ? renderJson(found, ctx.options.pretty) : renderText(found));
  }],
  [
    ["flush"],
    (ctx, a) => void flushAddresses(needDevice(a), { ...familyOf(ctx) }),
  ],
];

function peerOf(args: AddrArgs): { peer?: string } {
  return args.peer === undefined ? {} : { peer: args.peer };
}

function deviceOf(args: AddrArgs): { name?: string } {
  return args.device === undefined ? {} : { name: args.device };
}

function familyOf(ctx: Context): { family?: AddressFamily } {
  const f = family(ctx);
  return f === undefined ? {} : { family: f };
}

const MODIFY: readonly Keyword[] = [
  { word: "peer", match: "exact", value: "prefix" },
  { word: "remote", match: "exact", value: "prefix" },
  { word: "local", match: "exact", value: "prefix" },
  { word: "dev", match: "exact", value: "tuntap" },
];

/** The grammar of `addr`. */
export const spec: CommandSpec = {
  extension: true,
  names: ["address"],
  usage: [
    "addr { add | replace | del } ADDRESS[/LEN] [ peer PEER[/LEN] ] dev NAME",
    "addr flush dev NAME",
    "addr show [ dev NAME ]",
  ],
  summary: 'IPv4 and IPv6 addresses, as "ip addr" (-4, -6: one family)',
  keywords: [],
  actions: [
    { names: ["add"], usage: [], summary: "add an address", keywords: MODIFY, operand: "prefix" },
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
      keywords: [{ word: "dev", match: "exact", value: "tuntap" }],
    },
    {
      names: ["flush"],
      usage: [],
      summary: "delete every address",
      keywords: [{ word: "dev", match: "exact", value: "tuntap" }],
    },
  ],
};

/** The `addr` subcommand. */
export const command: Command = {
  spec,
  run(ctx, words) {
    const [first = "show", ...rest] = words;
    const action = ACTIONS.find(([keywords]) => keywords.some((k) => matches(first, k)));
    if (action === undefined) {
      throw new CliExit(`Command "${first}" is unknown, try "tuntap --help".`, 255);
    }
    const args = parseAddrArgs(rest);
    return attempt(ctx, () => action[1](ctx, args));
  },
};
