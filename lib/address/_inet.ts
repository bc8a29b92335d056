/**
 * Addresses inside the address operations: IPv4 and IPv6 addresses as text
 * (strict parsing, and formatting the way `inet_ntop` does, RFC 5952 for
 * IPv6), and reading the addresses of TUN/TAP devices (the address dump and
 * the conversion of address messages, shared by the address operations and
 * the full view of a device).
 *
 * @module
 */

import { requireTunTap, toDevice } from "../device/_device.ts";
import { type AddressMessage, decodeAddressIfAny, encodeAddressDump } from "../netlink/_addr.ts";
import {
  AF_INET,
  AF_INET6,
  RTEXT_FILTER_SKIP_STATS,
  RTM_GETADDR,
  RTM_GETLINK,
} from "../netlink/_constants.ts";
import { decodeLinkIfAny, encodeLinkDump } from "../netlink/_link.ts";
import type { Rtnl } from "../transport/_rtnl.ts";
import type { AddressFamily, TunTapAddress } from "./address.ts";

/** An IP address in network byte order. */
export interface InetAddress {
  /** 4 or 6. */
  version: 4 | 6;
  /** 4 or 16 bytes. */
  bytes: Uint8Array;
}

/** An address with a prefix length, as in `10.1.0.1/24`. */
export interface InetPrefix extends InetAddress {
  /** The prefix length; the full length when the text had none. */
  prefixLength: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string): Uint8Array | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = match[i + 1] as string;
    if (part.length > 1 && part.startsWith("0")) return undefined; // no octal-looking parts
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

function parseGroups(text: string): number[] | undefined {
  if (text === "") return [];
  const groups: number[] = [];
  for (const part of text.split(":")) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
    groups.push(parseInt(part, 16));
  }
  return groups;
}

function parseIpv6(text: string): Uint8Array | undefined {
  let body = text;
  let tail: number[] = [];
  const lastColon = body.lastIndexOf(":");
  if (body.includes(".")) {
    const v4 = parseIpv4(body.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = [(v4[0] as number) << 8 | (v4[1] as number), (v4[2] as number) << 8 | (v4[3] as number)];
    body = body.slice(0, lastColon + 1);
    if (body.endsWith(":") && !body.endsWith("::")) body = body.slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] as string);
  const rest = halves.length === 2 ? parseGroups(halves[1] as string) : [];
  if (!head || !rest) return undefined;
  const given = head.length + rest.length + tail.length;
  let groups: number[];
  if (halves.length === 2) {
    if (given > 7) return undefined;
    groups = [...head, ...new Array(8 - given).fill(0), ...rest, ...tail];
  } else {
    groups = [...head, ...tail];
  }
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/**
 * Parses an IPv4 address (dotted quad) or an IPv6 address (RFC 4291 text,
 * with `::` and an optional embedded IPv4 tail).
 *
 * @param text The address.
 * @returns The address, or `undefined` if the text is not one.
 */
export function parseInet(text: string): InetAddress | undefined {
  if (text.includes(":")) {
    const bytes = parseIpv6(text);
    return bytes && { version: 6, bytes };
  }
  const bytes = parseIpv4(text);
  return bytes && { version: 4, bytes };
}

/**
 * Parses `ADDRESS[/PREFIXLEN]`.
 *
 * @param text The text.
 * @returns The prefix, or `undefined` if the text is not one.
 */
export function parseInetPrefix(text: string): InetPrefix | undefined {
  const slash = text.indexOf("/");
  const address = parseInet(slash < 0 ? text : text.slice(0, slash));
  if (!address) return undefined;
  const max = address.version === 4 ? 32 : 128;
  if (slash < 0) return { ...address, prefixLength: max };
  const length = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(length) || Number(length) > max) return undefined;
  return { ...address, prefixLength: Number(length) };
}

/**
 * Formats an address as `inet_ntop` does.
 *
 * @param bytes 4 or 16 bytes.
 * @returns The text.
 */
export function formatInet(bytes: Uint8Array): string {
  if (bytes.byteLength === 4) return Array.from(bytes).join(".");
  const groups = Array.from(
    { length: 8 },
    (_, i) => (bytes[2 * i] as number) << 8 | (bytes[2 * i + 1] as number),
  );
  // The longest run of two or more zero groups becomes "::" (the first one on a tie).
  let best = { at: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > best.length) best = { at: i, length: end - i };
    i = end;
  }
  if (best.length < 2) best = { at: -1, length: 0 };
  const embedsIpv4 = best.at === 0 &&
    (best.length === 6 || (best.length === 5 && groups[5] === 0xffff));
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (i === best.at) {
      out += i === 0 ? "::" : ":";
      i += best.length - 1;
      continue;
    }
    if (embedsIpv4 && i === 6) {
      out += Array.from(bytes.subarray(12)).join(".");
      break;
    }
    out += (groups[i] as number).toString(16) + (i < 7 ? ":" : "");
  }
  return out;
}

const FAMILIES: Readonly<Record<number, AddressFamily>> = {
  [AF_INET]: "inet",
  [AF_INET6]: "inet6",
};
/** The address family numbers of the family names. */
export const FAMILY_NUMBERS: Readonly<Record<AddressFamily, number>> = {
  inet: AF_INET,
  inet6: AF_INET6,
};
/** The names of the address scopes (`RT_SCOPE_*`) that have one. */
export const SCOPES: Readonly<Record<number, string>> = {
  0: "global",
  200: "site",
  253: "link",
  254: "host",
  255: "nowhere",
};
/** The numbers of the named scopes. */
export const SCOPE_NUMBERS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(SCOPES).map(([number, name]) => [name, Number(number)]),
);
/** The address flags (`IFA_F_*`) and their words, in bit order. */
export const ADDRESS_FLAGS: readonly (readonly [number, string])[] = [
  [0x01, "secondary"],
  [0x02, "nodad"],
  [0x04, "optimistic"],
  [0x08, "dadfailed"],
  [0x10, "homeaddress"],
  [0x20, "deprecated"],
  [0x40, "tentative"],
  [0x80, "permanent"],
  [0x100, "mngtmpaddr"],
  [0x200, "noprefixroute"],
  [0x400, "autojoin"],
  [0x800, "stable-privacy"],
];
const FOREVER = 0xffffffff;
const PROTOCOLS: Readonly<Record<number, string>> = {
  1: "kernel_lo",
  2: "kernel_ra",
  3: "kernel_ll",
};

/**
 * An address message as the library reports it.
 *
 * @param message The message.
 * @param device The device's name.
 * @returns The address, or `undefined` for another family.
 */
function toAddress(message: AddressMessage, device: string): TunTapAddress | undefined {
  const family = FAMILIES[message.family];
  const local = message.local ?? message.address;
  if (family === undefined || local === undefined) return undefined;
  const result: TunTapAddress = {
    device,
    index: message.index,
    family,
    address: formatInet(local),
    prefixLength: message.prefixLength,
    scope: SCOPES[message.scope] ?? String(message.scope),
    flags: ADDRESS_FLAGS.filter(([bit]) => (message.flags & bit) !== 0).map(([, word]) => word),
  };
  if (message.local && message.address && formatInet(message.address) !== result.address) {
    result.peer = formatInet(message.address);
  }
  if (message.broadcast) result.broadcast = formatInet(message.broadcast);
  if (message.anycast) result.anycast = formatInet(message.anycast);
  if (message.metric !== undefined) result.metric = message.metric;
  if (message.protocol) result.protocol = PROTOCOLS[message.protocol] ?? String(message.protocol);
  if (message.label !== undefined) result.label = message.label;
  if (message.lifetimes && message.lifetimes.valid !== FOREVER) {
    result.validLifetime = message.lifetimes.valid;
    result.preferredLifetime = message.lifetimes.preferred;
  }
  return result;
}

/**
 * The addresses of some devices, from one dump.
 *
 * @param rtnl The socket.
 * @param devices The devices' names, by index.
 * @param family Only this family, if given.
 * @param onInterrupted See `Rtnl.dump`.
 * @returns The addresses, in the kernel's order.
 */
export function dumpAddresses(
  rtnl: Rtnl,
  devices: Map<number, string>,
  family: AddressFamily | undefined,
  onInterrupted?: () => void,
): TunTapAddress[] {
  const wanted = family === undefined ? 0 : FAMILY_NUMBERS[family];
  return rtnl.dump(
    (seq) => encodeAddressDump(seq, wanted),
    RTM_GETADDR,
    (message) => {
      const address = decodeAddressIfAny(message);
      const device = address && devices.get(address.index);
      return address && device !== undefined ? toAddress(address, device) : undefined;
    },
    onInterrupted,
  );
}

/**
 * The TUN/TAP devices a filter covers, by index.
 *
 * @param rtnl The socket.
 * @param name One device (which must be a TUN/TAP device), or all of them.
 * @param onInterrupted See `Rtnl.dump`.
 * @returns Their names by index.
 */
export function devicesOf(
  rtnl: Rtnl,
  name: string | undefined,
  onInterrupted?: () => void,
): Map<number, string> {
  if (name !== undefined) {
    const { device } = requireTunTap(rtnl, name);
    return new Map([[device.index, device.name]]);
  }
  const devices = rtnl.dump(
    (seq) => encodeLinkDump({ seq, kind: "tun", extMask: RTEXT_FILTER_SKIP_STATS }),
    RTM_GETLINK,
    (message) => {
      const link = decodeLinkIfAny(message);
      return link && toDevice(link);
    },
    onInterrupted,
  );
  return new Map(devices.map((d) => [d.index, d.name]));
}
