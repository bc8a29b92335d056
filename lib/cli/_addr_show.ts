/**
 * `tuntap addr show`, printed as `ip addr show` prints it: a header line and
 * a link line per device, two lines per address (plain), one line per
 * address (`-o`), a line per device (`-br`), or iproute2's JSON schema
 * (`-j`, `-p`), which scripts already parse (`jq '.[].addr_info[].local'`).
 *
 * @module
 */

import type { TunTapAddress } from "../address/address.ts";
import type { AddressLink } from "../address/_links.ts";
import { ADDRESS_FLAGS } from "../address/_inet.ts";
import { formatMac, OPERSTATES } from "../device/_device.ts";
import type { Context } from "./_context.ts";
import { IpJsonWriter } from "./_json.ts";

/** Device flags in the order iproute2 prints them. */
const LINK_FLAGS: readonly (readonly [number, string])[] = [
  [0x8, "LOOPBACK"],
  [0x2, "BROADCAST"],
  [0x10, "POINTOPOINT"],
  [0x1000, "MULTICAST"],
  [0x80, "NOARP"],
  [0x200, "ALLMULTI"],
  [0x100, "PROMISC"],
  [0x20, "NOTRAILERS"],
  [0x4, "DEBUG"],
  [0x8000, "DYNAMIC"],
  [0x4000, "AUTOMEDIA"],
  [0x2000, "PORTSEL"],
  [0x800, "SLAVE"],
  [0x400, "MASTER"],
  [0x1, "UP"],
  [0x10000, "LOWER_UP"],
  [0x20000, "DORMANT"],
  [0x40000, "ECHO"],
];
const IFF_UP = 0x1;
const IFF_RUNNING = 0x40;

/** Link-layer types by `ARPHRD_*` number. */
const LINK_TYPES: Readonly<Record<number, string>> = {
  1: "ether",
  772: "loopback",
  0xfffe: "none",
};

/**
 * Whether a link is administratively up.
 *
 * @param link The link.
 * @returns Whether `IFF_UP` is set.
 */
export function linkIsUp(link: AddressLink): boolean {
  return (link.link.flags & IFF_UP) !== 0;
}

/** The words of a device's flags, as iproute2 prints them. */
export function linkFlagWords(flags: number): string[] {
  const words = (flags & IFF_UP) !== 0 && (flags & IFF_RUNNING) === 0 ? ["NO-CARRIER"] : [];
  for (const [bit, word] of LINK_FLAGS) if ((flags & bit) !== 0) words.push(word);
  return words;
}

/**
 * The flag words of an address in iproute2's order (bit order): IPv6 calls `secondary`
 * `temporary`, and an address that is not `permanent` is `dynamic`.
 */
function addressFlagWords(a: TunTapAddress): string[] {
  const words: string[] = [];
  for (const [, word] of ADDRESS_FLAGS) {
    const has = a.flags.includes(word);
    if (word === "permanent") {
      if (!has) words.push("dynamic");
    } else if (has) {
      words.push(
        word === "secondary" && a.family === "inet6"
          ? "temporary"
          : word === "homeaddress"
          ? "home"
          : word,
      );
    }
  }
  return words;
}

function lifetime(seconds: number | undefined): string {
  return seconds === undefined ? "forever" : `${seconds}sec`;
}

function state(link: AddressLink): string {
  return (OPERSTATES[link.link.operstate ?? 0] ?? "unknown").toUpperCase();
}

function group(link: AddressLink): string {
  const g = link.link.group ?? 0;
  return g === 0 ? "default" : String(g);
}

function linkType(link: AddressLink): string {
  return LINK_TYPES[link.link.type] ?? `[${link.link.type}]`;
}

/** The two lines of an address, without their indentation's first four spaces. */
function addressLines(a: TunTapAddress): [string, string] {
  let line = `${a.family} ${a.address}`;
  if (a.peer !== undefined) line += ` peer ${a.peer}`;
  line += `/${a.prefixLength}`;
  if (a.broadcast !== undefined) line += ` brd ${a.broadcast}`;
  if (a.anycast !== undefined) line += ` any ${a.anycast}`;
  if (a.metric !== undefined) line += ` metric ${a.metric}`;
  line += ` scope ${a.scope} `;
  if (a.protocol !== undefined) line += `proto ${a.protocol} `;
  for (const word of addressFlagWords(a)) line += `${word} `;
  if (a.family === "inet" && a.label !== undefined) line += a.label;
  return [
    line,
    `valid_lft ${lifetime(a.validLifetime)} preferred_lft ${
      lifetime(a.validLifetime === undefined ? undefined : a.preferredLifetime)
    }`,
  ];
}

function header(link: AddressLink, selection: ShowSelection): string {
  const l = link.link;
  const v6 = selection.ipv6Dump ?? false;
  let text = `${l.index}: ${l.name}: <${linkFlagWords(l.flags).join(",")}> mtu ${l.mtu}`;
  if (l.qdisc !== undefined && !v6) text += ` qdisc ${l.qdisc}`;
  if (link.master !== undefined) text += ` master ${link.master}`;
  text += ` state ${state(link)} `;
  if (!v6) text += `group ${group(link)} `;
  if (l.txQueueLen) text += `qlen ${l.txQueueLen}`;
  let layer = `    link/${linkType(link)} `;
  if (l.address) layer += formatMac(l.address);
  if (l.broadcast) layer += ` brd ${formatMac(l.broadcast)}`;
  return selection.noLinkLayer ? `${text}\n` : `${text}\n${layer}\n`;
}

/** What `addr show` prints of the links and addresses selected. */
export interface ShowSelection {
  /** The links to print, each with the addresses to print. */
  links: readonly AddressLink[];
  /** Print no link headers (a label filter was given, as iproute2 does then). */
  noHeaders?: boolean;
  /** Print no link-layer line (a family was asked for, or a prefix given). */
  noLinkLayer?: boolean;
  /** Only links are listed (`-0`): no `addr_info` in JSON. */
  linksOnly?: boolean;
  /**
   * The links come from an IPv6 link dump (`-6` without a device): the kernel
   * reports no queueing discipline or group there, so none is printed.
   */
  ipv6Dump?: boolean;
}

function plain(selection: ShowSelection): string {
  let text = "";
  for (const link of selection.links) {
    if (!selection.noHeaders) text += header(link, selection);
    for (const a of link.addresses) {
      const [first, second] = addressLines(a);
      text += `    ${first}\n       ${second}\n`;
    }
  }
  return text;
}

function oneline(selection: ShowSelection): string {
  let text = "";
  for (const link of selection.links) {
    for (const a of link.addresses) {
      const [first, second] = addressLines(a);
      text += `${link.link.index}: ${link.link.name}    ${first}\\       ${second}\n`;
    }
  }
  return text;
}

function brief(selection: ShowSelection): string {
  let text = "";
  for (const link of selection.links) {
    text += `${(link.link.name ?? "").padEnd(16)} ${state(link).padEnd(14)} `;
    for (const a of link.addresses) {
      text += a.peer === undefined ? a.address : `${a.address} peer ${a.peer}`;
      text += `/${a.prefixLength}`;
      if (a.metric !== undefined) text += ` metric ${a.metric}`;
      text += " ";
    }
    text += "\n";
  }
  return text;
}

function json(selection: ShowSelection, pretty: boolean, short: boolean): string {
  const linksOnly = selection.linksOnly ?? false;
  const linkLayer = !selection.noLinkLayer;
  const v6 = selection.ipv6Dump ?? false;
  const w = new IpJsonWriter(pretty).startArray();
  // iproute2 leaves out what a link or an address does not have.
  const put = (key: string, value: string | number | undefined) => {
    if (typeof value === "string") w.name(key).string(value);
    else if (value !== undefined) w.name(key).number(value);
  };
  for (const link of selection.links) {
    const l = link.link;
    w.startObject();
    if (short) {
      put("ifname", l.name ?? "");
      put("operstate", state(link));
    } else {
      put("ifindex", l.index);
      put("ifname", l.name ?? "");
      w.name("flags").strings(linkFlagWords(l.flags));
      put("mtu", l.mtu);
      if (!v6) put("qdisc", l.qdisc);
      put("master", link.master);
      put("operstate", state(link));
      if (!v6) put("group", group(link));
      put("txqlen", l.txQueueLen || undefined);
      if (linkLayer) {
        put("link_type", linkType(link));
        put("address", l.address && formatMac(l.address));
        put("broadcast", l.broadcast && formatMac(l.broadcast));
      }
    }
    if (linksOnly) {
      w.endObject();
      continue;
    }
    w.name("addr_info").startArray();
    for (const a of link.addresses) {
      w.startObject();
      if (!short) put("family", a.family);
      put("local", a.address);
      put("address", a.peer);
      put("prefixlen", a.prefixLength);
      if (!short) {
        put("broadcast", a.broadcast);
        put("anycast", a.anycast);
      }
      put("metric", a.metric);
      if (!short) {
        put("scope", a.scope);
        put("protocol", a.protocol);
        for (const word of addressFlagWords(a)) w.name(word).bool(true);
        if (a.family === "inet") put("label", a.label);
        put("valid_life_time", a.validLifetime ?? 0xffffffff);
        put(
          "preferred_life_time",
          a.validLifetime === undefined ? 0xffffffff : a.preferredLifetime ?? 0xffffffff,
        );
      }
      w.endObject();
    }
    w.endArray().endObject();
  }
  return w.endArray().finish();
}

/**
 * Renders `addr show` in the format the options ask for.
 *
 * @param ctx The context (`-j`, `-p`, `-o`, `-br`).
 * @param selection What to print.
 * @returns The text.
 */
export function renderAddressShow(ctx: Context, selection: ShowSelection): string {
  const o = ctx.options;
  if (o.json) return json(selection, o.pretty, o.brief);
  if (o.brief) return brief(selection);
  return o.oneline ? oneline(selection) : plain(selection);
}

/**
 * Renders addresses as `-s -s addr flush` lists what it deletes: each
 * behind its link's index and name.
 *
 * @param addresses The addresses.
 * @returns The text.
 */
export function renderAddressLines(addresses: readonly TunTapAddress[]): string {
  let text = "";
  for (const a of addresses) {
    const [first, second] = addressLines(a);
    text += `${a.index}: ${a.device}    ${first}\n       ${second}\n`;
  }
  return text;
}
