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
import { writeAddressChange } from "../netlink/_addr.ts";
import { AF_INET, AF_INET6, RTM_DELADDR, RTM_NEWADDR } from "../netlink/_constants.ts";
import { NetlinkWriter } from "../netlink/_writer.ts";
import type { NetnsOptions } from "../netns/netns.ts";
import { SyscallError } from "../transport/_syscall.ts";
import { kernelError, Rtnl } from "../transport/_rtnl.ts";
import {
  devicesOf,
  dumpAddresses,
  FAMILY_NUMBERS,
  formatInet,
  type InetPrefix,
  parseInet,
  parseInetPrefix,
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

/** Options of {@linkcode addAddress}. */
export interface AddAddressOptions extends NetnsOptions {
  /** The peer of a point-to-point link (`ADDRESS[/PREFIXLEN]`); its prefix is the route's. */
  peer?: string;
  /** Replace the address if it exists, instead of failing with EEXIST. */
  replace?: boolean;
}

/** Options of {@linkcode deleteAddress}. */
export interface DeleteAddressOptions extends NetnsOptions {
  /** The peer, to tell apart point-to-point addresses with the same local address. */
  peer?: string;
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

/**
 * Adds an address to a TUN/TAP device. An address that already exists is an
 * error (EEXIST) unless `replace` is set.
 *
 * @example Usage
 * ```ts ignore
 * import { addAddress, setLink } from "@netdev/tuntap";
 *
 * addAddress("tun0", "10.1.0.1/24");
 * addAddress("tun1", "10.9.0.1", { peer: "10.9.0.2/32" }); // point to point
 * setLink("tun0", { up: true });
 * ```
 *
 * @example Malformed addresses are refused before the kernel sees them
 * ```ts
 * import { addAddress, TunTapError } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => addAddress("tun0", "10.1.0.300/24"), TunTapError);
 * ```
 *
 * @param name The device.
 * @param address `ADDRESS[/PREFIXLEN]`; without a prefix, /32 or /128.
 * @param options Peer, replace, namespace.
 * @throws {TypeError} When the name is not one.
 * @throws {TunTapError} When the address is malformed, the device is not a
 *   TUN/TAP device, or the kernel refuses (EEXIST: the address is there).
 */
export function addAddress(name: string, address: string, options: AddAddressOptions = {}): void {
  const action = `Cannot add address ${address} to "${name}"`;
  checkNameType(name, action);
  worded(action, undefined, { name }, () => {
    const local = prefixOf(address, "RTM_NEWADDR");
    const peer = options.peer === undefined ? undefined : prefixOf(options.peer, "RTM_NEWADDR");
    if (peer && peer.version !== local.version) {
      throw new SyscallError(EINVAL, "RTM_NEWADDR", {
        detail: "the peer is not of the address's family",
      });
    }
    operate(action, undefined, { name }, options.netns, () => {
      using rtnl = Rtnl.open();
      const { device } = requireTunTap(rtnl, name);
      const seq = rtnl.seq();
      const change = {
        family: local.version === 4 ? AF_INET : AF_INET6,
        index: device.index,
        local: local.bytes,
        // With a peer, a prefix written on the peer is the prefix of the route to it.
        prefixLength: peer && options.peer?.includes("/") ? peer.prefixLength : local.prefixLength,
        // Loopback addresses get host scope, as ip gives them.
        scope: local.version === 4 && local.bytes[0] === 127 ? RT_SCOPE_HOST : 0,
        ...(peer ? { peer: peer.bytes } : {}),
      };
      const bytes = writeAddressChange(
        new NetlinkWriter(64),
        seq,
        true,
        change,
        options.replace ?? false,
      ).bytes();
      rtnl.request(bytes, seq, RTM_NEWADDR);
    });
  });
}

/**
 * Deletes an address of a TUN/TAP device.
 *
 * @example Usage
 * ```ts ignore
 * import { deleteAddress } from "@netdev/tuntap";
 *
 * deleteAddress("tun0", "10.1.0.1/24");
 * ```
 *
 * @param name The device.
 * @param address `ADDRESS[/PREFIXLEN]`; without a prefix, any prefix matches.
 * @param options Peer and namespace.
 * @returns `true` if the address was there, `false` if not.
 * @throws {TypeError} When the name is not one.
 * @throws {TunTapError} When the address is malformed, the device is not a
 *   TUN/TAP device, or the kernel refuses.
 */
export function deleteAddress(
  name: string,
  address: string,
  options: DeleteAddressOptions = {},
): boolean {
  const action = `Cannot delete address ${address} from "${name}"`;
  checkNameType(name, action);
  return worded(action, undefined, { name }, () => {
    const wanted = prefixOf(address, "RTM_DELADDR");
    const prefixGiven = address.includes("/");
    const peer = options.peer === undefined
      ? undefined
      : parseInet(options.peer.split("/")[0] as string);
    if (options.peer !== undefined && peer === undefined) {
      throw badAddress(options.peer, "RTM_DELADDR");
    }
    return operate(action, undefined, { name }, options.netns, () => {
      using rtnl = Rtnl.open();
      const { device } = requireTunTap(rtnl, name);
      const text = formatInet(wanted.bytes);
      const found = dumpAddresses(
        rtnl,
        new Map([[device.index, device.name]]),
        wanted.version === 4 ? "inet" : "inet6",
      ).find((a) =>
        a.address === text &&
        (!prefixGiven || a.prefixLength === wanted.prefixLength) &&
        (peer === undefined || a.peer === formatInet(peer.bytes))
      );
      if (found === undefined) return false;
      removeAll(rtnl, [found]);
      return true;
    });
  });
}

function removeAll(rtnl: Rtnl, addresses: readonly TunTapAddress[]): void {
  const acks = rtnl.requestAll(addresses, (w, seq, a) =>
    writeAddressChange(w, seq, false, {
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
 *
 * for (const a of listAddresses({ name: "tun0" })) console.log(`${a.address}/${a.prefixLength}`);
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

/**
 * Deletes every address of a TUN/TAP device (of one family, if given), in
 * one batch of requests.
 *
 * @example Usage
 * ```ts ignore
 * import { flushAddresses } from "@netdev/tuntap";
 *
 * flushAddresses("tun0", { family: "inet6" });
 * ```
 *
 * @param name The device.
 * @param options Family and namespace.
 * @returns How many addresses were deleted.
 * @throws {TypeError} When the name is not one.
 * @throws {TunTapError} When the device is missing or not a TUN/TAP device,
 *   or the kernel refuses.
 */
export function flushAddresses(name: string, options: Omit<AddressFilter, "name"> = {}): number {
  const action = `Cannot flush the addresses of "${name}"`;
  checkNameType(name, action);
  return operate(action, undefined, { name }, options.netns, () => {
    using rtnl = Rtnl.open();
    const addresses = dumpAddresses(rtnl, devicesOf(rtnl, name), options.family);
    removeAll(rtnl, addresses);
    return addresses.length;
  });
}
