/**
 * IPv4 and IPv6 addresses of TUN/TAP devices: add, delete, list and flush,
 * over rtnetlink (`RTM_NEWADDR`, `RTM_DELADDR`, `RTM_GETADDR`).
 *
 * @module
 */

import { operate, worded } from "../_boundary.ts";
import { EADDRNOTAVAIL, EINVAL } from "../_errno.ts";
import { checkNameType } from "../device/_checks.ts";
import { requireTunTap } from "../device/_device.ts";
import { type AddressChange, writeAddressChange } from "../netlink/_addr.ts";
import { AF_INET, AF_INET6, RTM_DELADDR, RTM_NEWADDR } from "../netlink/_constants.ts";
import { NetlinkWriter } from "../netlink/_writer.ts";
import type { NetnsOptions } from "../netns/netns.ts";
import { SyscallError } from "../transport/_syscall.ts";
import { kernelError, Rtnl } from "../transport/_rtnl.ts";
import {
  devicesOf,
  dumpAddresses,
  FAMILY_NUMBERS,
  type InetPrefix,
  parseInet,
  parseInetPrefix,
  SCOPE_NUMBERS,
} from "./_inet.ts";

const RT_SCOPE_HOST = 254;

function badAddress(text: string, syscall: string): SyscallError {
  return new SyscallError(EINVAL, syscall, {
    detail: `"${text}" is not an IPv4 or IPv6 address`,
    explanation: "write it as 10.1.0.1/24 or fd00::1/64",
  });
}

function prefixOf(text: string, syscall: string): InetPrefix {
  const prefix = parseInetPrefix(text);
  if (prefix === undefined) throw badAddress(text, syscall);
  return prefix;
}

/** `"inet"` (IPv4) or `"inet6"` (IPv6). */
export type AddressFamily = "inet" | "inet6";

/** An address of a TUN/TAP device. */
export interface TunTapAddress {
  /** The device's name. */
  device: string;
  /** The device's index. */
  index: number;
  /** IPv4 or IPv6. */
  family: AddressFamily;
  /** The local address. */
  address: string;
  /** Its prefix length. */
  prefixLength: number;
  /** The peer of a point-to-point address. */
  peer?: string;
  /** The broadcast address (IPv4). */
  broadcast?: string;
  /** The anycast address, if one was given. */
  anycast?: string;
  /** The metric of the address's prefix route, if one was given. */
  metric?: number;
  /**
   * Who made the address, when the kernel says: `kernel_lo`, `kernel_ra`
   * (router advertisement), `kernel_ll` (link-local), or a number.
   */
  protocol?: string;
  /** `global`, `site`, `link`, `host`, `nowhere`, or the number of another scope. */
  scope: string;
  /** Flags such as `permanent`, `tentative`, `nodad`, `noprefixroute`. */
  flags: string[];
  /** The label (IPv4). */
  label?: string;
  /** Seconds the address stays valid; absent when forever. */
  validLifetime?: number;
  /** Seconds the address stays preferred; absent when forever. */
  preferredLifetime?: number;
}

/** A scope by name, or its number (0 to 255). */
export type AddressScope = "global" | "site" | "link" | "host" | "nowhere" | number;

/** An address flag that can be set from userspace. */
export type AddressFlag =
  | "nodad"
  | "optimistic"
  | "home"
  | "mngtmpaddr"
  | "noprefixroute"
  | "autojoin";

/** Options of {@linkcode addAddress}. */
export interface AddAddressOptions extends NetnsOptions {
  /**
   * The peer of a point-to-point link (`ADDRESS[/PREFIXLEN]`); the prefix
   * length of the request is then the peer's (/32 or /128 when not written),
   * as `ip addr add … peer` sends it.
   */
  peer?: string;
  /**
   * The broadcast address (IPv4): an address, or `"+"` (all host bits set)
   * or `"-"` (all host bits clear), computed from the prefix when it is /30
   * or shorter.
   */
  broadcast?: string;
  /** An anycast address (the kernel keeps it only for IPv6). */
  anycast?: string;
  /** The label (IPv4), up to 15 bytes; by convention `DEVICE` or `DEVICE:TEXT`. */
  label?: string;
  /** The scope; by default host for 127.0.0.0/8, else global. */
  scope?: AddressScope;
  /** Seconds the address stays valid; forever when absent. */
  validLifetime?: number;
  /** Seconds it stays preferred; forever when absent. It cannot exceed the valid lifetime. */
  preferredLifetime?: number;
  /** The metric of the prefix route the kernel adds. */
  metric?: number;
  /** Flags: `nodad`, `optimistic`, `home`, `mngtmpaddr` (IPv6), `noprefixroute`, `autojoin`. */
  flags?: readonly AddressFlag[];
  /** Replace the address if it exists, instead of failing with EEXIST (`ip addr replace`). */
  replace?: boolean;
  /**
   * Change an address in place (`ip addr change`: the request does not ask to
   * create; IPv4 creates it all the same when it is missing).
   */
  change?: boolean;
}

/** Options of {@linkcode deleteAddress}. */
export interface DeleteAddressOptions extends NetnsOptions {
  /** The peer, to tell apart point-to-point addresses with the same local address. */
  peer?: string;
  /** Only an address with this label (IPv4). */
  label?: string;
}

/** Options of {@linkcode listAddresses} and {@linkcode flushAddresses}. */
export interface AddressFilter extends NetnsOptions {
  /** Only this device's addresses. */
  name?: string;
  /** Only this family. */
  family?: AddressFamily;
  /**
   * Called when links or addresses kept changing while they were listed
   * (see `ListTunTapsOptions.onInterrupted`); the list is returned all the same.
   */
  onInterrupted?: () => void;
}

const FLAG_BITS: Readonly<Record<AddressFlag, number>> = {
  nodad: 0x02,
  optimistic: 0x04,
  home: 0x10,
  mngtmpaddr: 0x100,
  noprefixroute: 0x200,
  autojoin: 0x400,
};

const FOREVER = 0xffffffff;

function detailed(detail: string): SyscallError {
  return new SyscallError(EINVAL, "RTM_NEWADDR", { detail });
}

function checkU32(action: string, what: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > FOREVER)) {
    throw new RangeError(
      `${action}: ${what} must be an integer from 0 to ${FOREVER}, not ${value}`,
    );
  }
}

/** The broadcast address of `"+"`/`"-"`: the host bits of `base`, set or clear. */
function derivedBroadcast(base: InetPrefix, set: boolean): Uint8Array | undefined {
  if (base.prefixLength > 30) return undefined;
  const out = Uint8Array.from(base.bytes);
  for (let bit = base.prefixLength; bit < 32; bit++) {
    const mask = 0x80 >> (bit % 8);
    out[bit >> 3] = set ? (out[bit >> 3] as number) | mask : (out[bit >> 3] as number) & ~mask;
  }
  return out;
}

/**
 * Adds an address to a TUN/TAP device, with what `ip addr add` can give it:
 * a peer, a broadcast address, a label, a scope, lifetimes, a metric and
 * flags. An address that already exists is an error (EEXIST) unless
 * `replace` or `change` is set.
 *
 * @example Usage
 * ```ts ignore
 * import { addAddress, listAddresses, setLink } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * addAddress("tap0", "10.2.0.1/24", { broadcast: "+", label: "tap0:vpn" });
 * addAddress("tun1", "10.9.0.1", { peer: "10.9.0.2" }); // point to point, /32
 * addAddress("tap0", "fd00::1/64", { flags: ["nodad"], validLifetime: 3600, preferredLifetime: 600 });
 * setLink("tap0", { up: true });
 * assert.deepEqual(listAddresses({ name: "tap0" }).map((a) => a.address).slice(0, 2), [
 *   "10.2.0.1",
 *   "fd00::1",
 * ]);
 * ```
 *
 * @example Malformed addresses are refused before the kernel sees them
 * ```ts
 * import { addAddress, TunTapError } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => addAddress("tun0", "10.1.0.300/24"), TunTapError);
 * assert.throws(() => addAddress("tun0", "10.1.0.1/24", { metric: -1 }), RangeError);
 * ```
 *
 * @param name The device.
 * @param address `ADDRESS[/PREFIXLEN]`; without a prefix, /32 or /128.
 * @param options What else the address gets, and the namespace.
 * @throws {TypeError} When the name is not one.
 * @throws {RangeError} When a lifetime or the metric is not a u32, or the scope not 0 to 255.
 * @throws {TunTapError} When an address is malformed or of the wrong family,
 *   the lifetimes contradict each other, the device is missing or not a
 *   TUN/TAP device, or the kernel refuses (EEXIST: the address is there).
 */
export function addAddress(name: string, address: string, options: AddAddressOptions = {}): void {
  const action = `Cannot add address ${address} to "${name}"`;
  checkNameType(name, action);
  checkU32(action, "the valid lifetime", options.validLifetime);
  checkU32(action, "the preferred lifetime", options.preferredLifetime);
  checkU32(action, "the metric", options.metric);
  const scope = typeof options.scope === "number"
    ? options.scope
    : SCOPE_NUMBERS[options.scope ?? ""];
  if (options.scope !== undefined && (scope === undefined || !(scope >= 0 && scope <= 255))) {
    throw new RangeError(
      `${action}: the scope must be a scope name or 0 to 255, not ${options.scope}`,
    );
  }
  worded(action, undefined, { name }, () => {
    const change = addressChange(address, options, scope);
    const request = options.replace ? "replace" : options.change ? "change" : "add";
    operate(action, undefined, { name }, options.netns, () => {
      using rtnl = Rtnl.open();
      change.index = requireTunTap(rtnl, name).device.index;
      checkAfterLookup(change);
      const seq = rtnl.seq();
      const bytes = writeAddressChange(new NetlinkWriter(128), seq, request, change).bytes();
      rtnl.request(bytes, seq, RTM_NEWADDR);
    });
  });
}

function addressChange(
  address: string,
  options: AddAddressOptions,
  scope: number | undefined,
): AddressChange {
  const local = prefixOf(address, "RTM_NEWADDR");
  const family = local.version === 4 ? AF_INET : AF_INET6;
  const sameFamily = (text: string) => {
    const other = prefixOf(text, "RTM_NEWADDR");
    if (other.version !== local.version) {
      throw detailed(`"${text}" is not of the address's family`);
    }
    return other;
  };
  const peer = options.peer === undefined ? undefined : sameFamily(options.peer);
  // ip sends the peer's prefix length (or, when it is 0, the local one).
  const prefixLength = peer && peer.prefixLength !== 0 ? peer.prefixLength : local.prefixLength;
  const change: AddressChange = {
    family,
    index: 0,
    local: local.bytes,
    prefixLength,
    // Loopback addresses get host scope, as ip gives them.
    scope: scope ?? (local.version === 4 && local.bytes[0] === 127 ? RT_SCOPE_HOST : 0),
  };
  if (peer) change.peer = peer.bytes;
  if (options.broadcast !== undefined) {
    if (local.version !== 4) throw detailed("Broadcast can be set only for IPv4 addresses");
    if (options.broadcast === "+" || options.broadcast === "-") {
      const derived = derivedBroadcast(peer ?? local, options.broadcast === "+");
      if (derived) change.broadcast = derived;
    } else change.broadcast = sameFamily(options.broadcast).bytes;
  }
  if (options.anycast !== undefined) change.anycast = sameFamily(options.anycast).bytes;
  if (options.label !== undefined) change.label = options.label;
  if (options.metric !== undefined) change.metric = options.metric;
  let flags = 0;
  for (const flag of options.flags ?? []) {
    const bit = FLAG_BITS[flag];
    if (bit === undefined) throw detailed(`"${flag}" is not an address flag that can be set`);
    flags |= bit;
  }
  if (flags !== 0) change.flags = flags;
  if (options.validLifetime !== undefined || options.preferredLifetime !== undefined) {
    change.lifetimes = {
      valid: options.validLifetime ?? FOREVER,
      preferred: options.preferredLifetime ?? FOREVER,
    };
  }
  return change;
}

/**
 * What ip checks once it has found the device: lifetimes that contradict
 * each other, autojoin of an address that is not multicast.
 */
function checkAfterLookup(change: AddressChange): void {
  const lifetimes = change.lifetimes;
  if (lifetimes && lifetimes.valid === 0) throw detailed("valid_lft is zero");
  if (lifetimes && lifetimes.valid < lifetimes.preferred) {
    throw detailed("preferred_lft is greater than valid_lft");
  }
  const first = change.local[0] as number;
  const isMulticast = change.family === AF_INET ? (first & 0xf0) === 0xe0 : first === 0xff;
  if (((change.flags ?? 0) & FLAG_BITS.autojoin) !== 0 && !isMulticast) {
    throw detailed("autojoin needs multicast address");
  }
}

/**
 * Deletes an address of a TUN/TAP device, with one `RTM_DELADDR` that
 * names it by device, local address and (when written) prefix length and
 * peer, as `ip addr del` does; the kernel deletes the first address that
 * matches. An IPv4 address written without a prefix length matches any
 * (iproute2 prints a warning for it; see `ip addr del`).
 *
 * @example Usage
 * ```ts ignore
 * import { deleteAddress, listAddresses } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * deleteAddress("tun0", "10.1.0.1/24");
 * assert.deepEqual(listAddresses({ name: "tun0", family: "inet" }), []);
 * ```
 *
 * @example An address that is not there is an error
 * ```ts ignore
 * import { deleteAddress, TunTapError } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * assert.throws(() => deleteAddress("tun0", "10.9.9.9/24"), (e) =>
 *   e instanceof TunTapError && e.code === "EADDRNOTAVAIL");
 * ```
 *
 * @param name The device.
 * @param address `ADDRESS[/PREFIXLEN]`.
 * @param options Peer, label and namespace.
 * @throws {TypeError} When the name is not one.
 * @throws {TunTapError} When the address is malformed, the device is
 *   missing or not a TUN/TAP device, no address matches (EADDRNOTAVAIL), or
 *   the kernel refuses.
 */
export function deleteAddress(
  name: string,
  address: string,
  options: DeleteAddressOptions = {},
): void {
  const action = `Cannot delete address ${address} from "${name}"`;
  checkNameType(name, action);
  worded(action, undefined, { name }, () => {
    const local = prefixOf(address, "RTM_DELADDR");
    const peer = options.peer === undefined ? undefined : prefixOf(options.peer, "RTM_DELADDR");
    if (peer && peer.version !== local.version) {
      throw detailed(`"${options.peer}" is not of the address's family`);
    }
    const wildcard = peer === undefined && local.version === 4 && !address.includes("/");
    const change: AddressChange = {
      family: local.version === 4 ? AF_INET : AF_INET6,
      index: 0,
      local: local.bytes,
      prefixLength: wildcard
        ? 0
        : peer && peer.prefixLength !== 0
        ? peer.prefixLength
        : local.prefixLength,
      peer: wildcard ? null : peer?.bytes ?? local.bytes,
    };
    if (options.label !== undefined) change.label = options.label;
    operate(action, undefined, { name }, options.netns, () => {
      using rtnl = Rtnl.open();
      change.index = requireTunTap(rtnl, name).device.index;
      const seq = rtnl.seq();
      const bytes = writeAddressChange(new NetlinkWriter(96), seq, "delete", change).bytes();
      rtnl.request(bytes, seq, RTM_DELADDR);
    });
  });
}

function removeAll(rtnl: Rtnl, addresses: readonly TunTapAddress[]): void {
  const acks = rtnl.requestAll(addresses, (w, seq, a) =>
    writeAddressChange(w, seq, "delete", {
      family: FAMILY_NUMBERS[a.family],
      index: a.index,
      local: (parseInet(a.address) as { bytes: Uint8Array }).bytes,
      prefixLength: a.prefixLength,
      ...(a.peer ? { peer: (parseInet(a.peer) as { bytes: Uint8Array }).bytes } : {}),
    }));
  for (const ack of acks) {
    // An address that went away meanwhile (EADDRNOTAVAIL) is what was wanted.
    if (ack.errno !== 0 && ack.errno !== EADDRNOTAVAIL) throw kernelError(RTM_DELADDR, ack);
  }
}

/**
 * Lists the addresses of TUN/TAP devices (of all of them, or of one).
 *
 * @example Usage
 * ```ts ignore
 * import { listAddresses } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * for (const a of listAddresses({ name: "tun0" })) console.log(`${a.address}/${a.prefixLength}`);
 * assert.equal(listAddresses({ name: "tun0", family: "inet" })[0]?.address, "10.1.0.1");
 * ```
 *
 * @param options Device, family and namespace.
 * @returns The addresses, in the kernel's order.
 * @throws {TypeError} When the name is not one.
 * @throws {TunTapError} When the device is missing or not a TUN/TAP device.
 */
export function listAddresses(options: AddressFilter = {}): TunTapAddress[] {
  const action = "Cannot list addresses";
  if (options.name !== undefined) checkNameType(options.name, action);
  const onInterrupted = options.onInterrupted ?? (() => {});
  return operate(action, undefined, { name: options.name }, options.netns, () => {
    using rtnl = Rtnl.open();
    return dumpAddresses(
      rtnl,
      devicesOf(rtnl, options.name, onInterrupted),
      options.family,
      onInterrupted,
    );
  });
}

/** Options of {@linkcode flushAddresses}. */
export interface FlushAddressesOptions extends NetnsOptions {
  /** Only this family. */
  family?: AddressFamily;
  /** Only the addresses this returns `true` for. */
  select?: (address: TunTapAddress) => boolean;
}

/**
 * Deletes the addresses of a TUN/TAP device (all of them, of one family, or
 * those `select` picks), in one batch of requests.
 *
 * @example Usage
 * ```ts ignore
 * import { flushAddresses, listAddresses } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * flushAddresses("tun0", { family: "inet6" });
 * flushAddresses("tun0", { select: (a) => a.flags.includes("secondary") });
 * assert.deepEqual(listAddresses({ name: "tun0" }).map((a) => a.address), ["10.1.0.1"]);
 * ```
 *
 * @param name The device.
 * @param options Family, selection and namespace.
 * @returns The addresses deleted.
 * @throws {TypeError} When the name is not one.
 * @throws {TunTapError} When the device is missing or not a TUN/TAP device,
 *   or the kernel refuses.
 */
export function flushAddresses(
  name: string,
  options: FlushAddressesOptions = {},
): TunTapAddress[] {
  const action = `Cannot flush the addresses of "${name}"`;
  checkNameType(name, action);
  return operate(action, undefined, { name }, options.netns, () => {
    using rtnl = Rtnl.open();
    const all = dumpAddresses(rtnl, devicesOf(rtnl, name), options.family);
    const addresses = options.select ? all.filter(options.select) : all;
    removeAll(rtnl, addresses);
    return addresses;
  });
}
