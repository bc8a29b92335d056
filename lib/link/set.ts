/**
 * Changing a TUN/TAP device's link after creation (what `ip link set`
 * changes): state, MTU, queue length, addresses, flags, master, name,
 * group, alias and network namespace, with one acknowledged `RTM_SETLINK`.
 *
 * @module
 */

import { operate, worded } from "../_boundary.ts";
import { HINTS } from "../_hints.ts";
import { EADDRNOTAVAIL, EEXIST, EINVAL, ENODEV, EOPNOTSUPP } from "../_errno.ts";
import {
  masterNames,
  parseLinkLayer,
  requireLink,
  requireTunTap,
  toDevice,
} from "../device/_device.ts";
import { checkNameType, encodeText } from "../device/_checks.ts";
import type { OperState, TunTapDevice } from "../device/types.ts";
import {
  IFF_ALLMULTI,
  IFF_DYNAMIC,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_NOTRAILERS,
  IFF_PROMISC,
  RTM_SETLINK,
} from "../netlink/_constants.ts";
import { type LinkChange, type LinkMessage, writeLinkChange } from "../netlink/_link.ts";
import { NetlinkWriter } from "../netlink/_writer.ts";
import { NetnsFd, netnsPath, withNetns } from "../netns/_netns.ts";
import type { NetnsOptions } from "../netns/netns.ts";
import { SyscallError } from "../transport/_syscall.ts";
import { Rtnl } from "../transport/_rtnl.ts";

/** How IPv6 makes a device's link-local and autoconfigured addresses. */
export type AddrGenMode = "eui64" | "none" | "stable_secret" | "random";

/** Changes for {@linkcode setLink}; absent fields stay as they are. */
export interface SetLinkOptions extends NetnsOptions {
  /** Bring the link up (`true`) or down (`false`). */
  up?: boolean;
  /** MTU in bytes (the kernel checks it against the device's minimum and maximum). */
  mtu?: number;
  /** Transmit queue length in packets. */
  txQueueLen?: number;
  /** MAC address of a tap device (`aa:bb:cc:dd:ee:ff`); a tun has none. */
  mac?: string;
  /** Link-layer broadcast address (`ff:ff:ff:ff:ff:ff` for a tap). */
  broadcast?: string;
  /** Master to attach to (a bridge, a bond, a VRF), by name; `null` detaches. */
  master?: string | null;
  /** New name. */
  name?: string;
  /**
   * Network namespace to move the device to: a name in `/run/netns`, a path
   * (such as `/proc/PID/ns/net`), or an open descriptor. The device goes
   * down and loses its addresses, as any moved link does.
   */
  moveTo?: string | number;
  /** With `moveTo`: the interface index the device gets there. */
  newIndex?: number;
  /** Interface group (0 is "default"). */
  group?: number;
  /** Interface alias (description), up to 255 bytes; `""` clears it. */
  alias?: string;
  /** Carrier on or off (a TUN/TAP device's carrier follows its attached queues). */
  carrier?: boolean;
  /** RFC 2863 operational state to report (`IFLA_OPERSTATE`). */
  operstate?: OperState;
  /** Link mode: `"dormant"` lets userspace move the operational state. */
  linkMode?: "default" | "dormant";
  /** ARP on (clears `IFF_NOARP`) or off. */
  arp?: boolean;
  /** `IFF_MULTICAST`. */
  multicast?: boolean;
  /** `IFF_ALLMULTI`: receive all multicast. */
  allMulticast?: boolean;
  /** `IFF_PROMISC`: promiscuous mode. */
  promisc?: boolean;
  /** Trailers on (clears `IFF_NOTRAILERS`) or off. */
  trailers?: boolean;
  /** `IFF_DYNAMIC`: the address may change. */
  dynamic?: boolean;
  /** Protocol down (drivers that support it only; TUN/TAP does not). */
  protoDown?: boolean;
  /** How IPv6 generates the link-local address. */
  addrGenMode?: AddrGenMode;
  /** Largest GSO packet the stack builds for the device. */
  gsoMaxSize?: number;
  /** Largest number of GSO segments. */
  gsoMaxSegs?: number;
  /** Largest GRO packet. */
  groMaxSize?: number;
}

const U32_MAX = 0xffffffff;

/** Flags set by a boolean option: the bit, and whether `true` sets it (else clears it). */
const FLAG_OPTIONS: readonly (readonly [keyof SetLinkOptions, number, boolean])[] = [
  ["arp", IFF_NOARP, false],
  ["multicast", IFF_MULTICAST, true],
  ["allMulticast", IFF_ALLMULTI, true],
  ["promisc", IFF_PROMISC, true],
  ["trailers", IFF_NOTRAILERS, false],
  ["dynamic", IFF_DYNAMIC, true],
];

/** Options that are u32 attributes, checked alike. */
const U32_OPTIONS: readonly (readonly [keyof SetLinkOptions & keyof LinkChange, string])[] = [
  ["mtu", "the MTU"],
  ["txQueueLen", "the transmit queue length"],
  ["group", "the group"],
  ["gsoMaxSize", "the GSO size"],
  ["gsoMaxSegs", "the GSO segment count"],
  ["groMaxSize", "the GRO size"],
  ["newIndex", "the new index"],
];

const OPERSTATE_NUMBERS: Readonly<Record<OperState, number>> = {
  unknown: 0,
  notpresent: 1,
  down: 2,
  lowerlayerdown: 3,
  testing: 4,
  dormant: 5,
  up: 6,
};

const ADDR_GEN_MODES: Readonly<Record<AddrGenMode, number>> = {
  eui64: 0,
  none: 1,
  "stable_secret": 2,
  random: 3,
};

function invalid(message: string, hint?: string, errno = EINVAL): SyscallError {
  return new SyscallError(errno, "RTM_SETLINK", { detail: message, explanation: hint });
}

function checkInteger(action: string, what: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw new RangeError(
      `${action}: ${what} must be an integer from 0 to ${U32_MAX}, not ${value}`,
    );
  }
}

/** The hints of the refusals of a MAC address and an MTU. */
const MAC_HINTS = {
  tun: (name: string) =>
    `${name} is a tun device, which has no MAC address; only tap devices (layer 2) have one`,
  unicast: "a MAC address must be unicast (first octet even) and not all zero",
};

function mtuRangeHint(name: string, link: LinkMessage): string {
  return `${name} accepts MTUs from ${link.minMtu} to ${link.maxMtu}`;
}

/**
 * Changes a TUN/TAP device's link settings with one acknowledged
 * `RTM_SETLINK`, as `ip link set` does: the device must exist and be a
 * TUN/TAP device; the values go to the kernel, which checks them (the MTU
 * against the device's range, a MAC on a tun, a name that is taken) and
 * refuses the whole request if one is wrong, so a refused change changes
 * nothing. Malformed text (a MAC, a name) is refused before the kernel sees
 * it.
 *
 * @example Usage
 * ```ts ignore
 * import { setLink } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * setLink("tap0", { master: "br0", up: true });
 * const tun0 = setLink("tun0", { mtu: 1420, txQueueLen: 1000, up: true, alias: "uplink vpn" });
 * assert.equal(tun0.mtu, 1420);
 * setLink("tun1", { moveTo: "blue" });
 * assert.equal(setLink("tap1", { mac: "02:11:22:33:44:55", promisc: true }).mac, "02:11:22:33:44:55");
 * ```
 *
 * @example Bad input is refused before the kernel sees it
 * ```ts
 * import { setLink, TunTapError } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => setLink("tun0", { mtu: -1 }), RangeError);
 * assert.throws(() => setLink("tun0", { mac: "02:zz" }), TunTapError);
 * ```
 *
 * @param name The device.
 * @param options The changes, and the namespace the device is in now.
 * @returns The device as it is afterwards, read where it now lives.
 * @throws {TypeError} When a name is not one.
 * @throws {RangeError} When a number is not a u32.
 * @throws {TunTapError} When the device or the master is missing, the
 *   device is not a TUN/TAP device, a value is malformed, or the kernel
 *   refuses (its message is in `extack`).
 */
export function setLink(name: string, options: SetLinkOptions): TunTapDevice {
  const action = `Cannot change device "${name}"`;
  checkNameType(name, action);
  if (options.name !== undefined) checkNameType(options.name, action);
  if (typeof options.master === "string") checkNameType(options.master, action);
  for (const [key, what] of U32_OPTIONS) {
    const value = options[key];
    if (value !== undefined) checkInteger(action, what, value as number);
  }
  return worded(action, HINTS.setLink, { name, newName: options.name }, () => {
    const change = staticChange(options);
    return operate(
      action,
      HINTS.setLink,
      { name, newName: options.name },
      options.netns,
      () => apply(name, options, change),
    );
  });
}

/** The part of the change that needs no lookup, with malformed text refused. */
function staticChange(options: SetLinkOptions): LinkChange {
  const change: LinkChange = { index: 0 };
  for (const [key] of U32_OPTIONS) {
    const value = options[key];
    if (value !== undefined) (change as unknown as Record<string, unknown>)[key] = value;
  }
  if (options.up !== undefined) change.up = options.up;
  for (const [key, bit, setsIt] of FLAG_OPTIONS) {
    const value = options[key];
    if (value === undefined) continue;
    change.flagMask = (change.flagMask ?? 0) | bit;
    if (value === setsIt) change.flags = (change.flags ?? 0) | bit;
  }
  if (options.mac !== undefined) {
    // Octets of any count: the device decides what it takes (a tun none, a tap 6).
    const mac = parseLinkLayer(options.mac);
    if (mac === undefined) {
      throw invalid(`"${options.mac}" is not a MAC address`, "write it as aa:bb:cc:dd:ee:ff");
    }
    change.address = mac;
  }
  if (options.broadcast !== undefined) {
    const broadcast = parseLinkLayer(options.broadcast);
    if (broadcast === undefined) {
      throw invalid(`"${options.broadcast}" is not a link-layer address`);
    }
    change.broadcast = broadcast;
  }
  // The kernel checks the new name (length, `/`, `:`, whitespace) as `ip` relies on it to.
  if (options.name !== undefined) change.name = options.name;
  if (options.alias !== undefined) {
    if (encodeText(options.alias).byteLength > 255) {
      throw invalid("the alias is longer than 255 bytes");
    }
    change.alias = options.alias;
  }
  if (options.carrier !== undefined) change.carrier = options.carrier ? 1 : 0;
  if (options.operstate !== undefined) change.operstate = OPERSTATE_NUMBERS[options.operstate];
  if (options.linkMode !== undefined) change.linkMode = options.linkMode === "dormant" ? 1 : 0;
  if (options.protoDown !== undefined) change.protoDown = options.protoDown ? 1 : 0;
  if (options.addrGenMode !== undefined) change.addrGenMode = ADDR_GEN_MODES[options.addrGenMode];
  if (options.newIndex !== undefined && options.moveTo === undefined) {
    throw invalid("a new index can only be given when the device moves to another namespace");
  }
  return change;
}

function apply(name: string, options: SetLinkOptions, change: LinkChange): TunTapDevice {
  using rtnl = Rtnl.open();
  const { link } = requireTunTap(rtnl, name);
  change.index = link.index;
  if (options.master === null) change.master = 0;
  else if (options.master !== undefined) change.master = requireLink(rtnl, options.master).index;
  if (change.name === name) delete change.name;
  const refusal = foreseenRefusal(rtnl, name, link, change);
  if (refusal !== undefined) throw refusal;
  using target = typeof options.moveTo === "string" ? NetnsFd.open(options.moveTo) : undefined;
  if (options.moveTo !== undefined) change.netnsFd = target?.fd ?? options.moveTo as number;
  const seq = rtnl.seq();
  try {
    rtnl.request(writeLinkChange(new NetlinkWriter(256), seq, change).bytes(), seq, RTM_SETLINK);
  } catch (error) {
    throw explained(error, name, link, options);
  }
  // A name with %d is the kernel's to fill in: the device is found by its index then.
  const moved = options.moveTo !== undefined;
  const selector = !moved && change.name?.includes("%")
    ? { index: link.index }
    : moved && options.newIndex !== undefined
    ? { index: options.newIndex }
    : { name: options.name ?? name };
  const readBack = () => {
    using there = Rtnl.open();
    const after = there.getLink(selector);
    const found = after && toDevice(after, masterNames(there, [after]));
    if (found === undefined) {
      throw new SyscallError(ENODEV, "RTM_GETLINK", {
        explanation: `${
          options.name ?? name
        } vanished after the change: another process deleted it`,
      });
    }
    return found;
  };
  return moved ? withNetns(movedPath(options.moveTo as string | number), readBack) : readBack();
}

/**
 * The kernel's answer to a change it would refuse after applying part of it
 * (it applies the MAC address, then the MTU, then the name, and stops at the
 * first it refuses, keeping the ones before), worded as the kernel words it:
 * asked beforehand, so that a refused change changes nothing.
 */
function foreseenRefusal(
  rtnl: Rtnl,
  name: string,
  link: LinkMessage,
  change: LinkChange,
): SyscallError | undefined {
  // A move happens first: what follows applies in the other namespace.
  if (change.netnsFd !== undefined) return undefined;
  const refuse = (errno: number, explanation: string, extack?: string) =>
    new SyscallError(errno, "RTM_SETLINK", { extack, explanation });
  const mac = change.address;
  if (mac !== undefined) {
    if (link.address === undefined) return refuse(EOPNOTSUPP, MAC_HINTS.tun(name));
    if (mac.length !== link.address.length) {
      return refuse(EINVAL, `a MAC address of ${name} has ${link.address.length} bytes`);
    }
    if (((mac[0] as number) & 1) !== 0 || mac.every((b) => b === 0)) {
      return refuse(EADDRNOTAVAIL, MAC_HINTS.unicast);
    }
  }
  if (change.mtu !== undefined) {
    const mtu = change.mtu | 0; // the kernel reads it as an int
    if (link.minMtu !== undefined && mtu < link.minMtu) {
      return refuse(EINVAL, mtuRangeHint(name, link), "mtu less than device minimum");
    }
    if (link.maxMtu !== undefined && mtu > link.maxMtu) {
      return refuse(EINVAL, mtuRangeHint(name, link), "mtu greater than device maximum");
    }
  }
  if (change.name !== undefined) {
    const other = rtnl.getLink({ name: change.name });
    if (other !== undefined && other.index !== link.index) {
      return refuse(EEXIST, `a device named ${change.name} already exists`);
    }
  }
  return undefined;
}

/** A kernel refusal, with what the device allows as its explanation. */
function explained(
  error: unknown,
  name: string,
  link: LinkMessage,
  options: SetLinkOptions,
): unknown {
  if (!(error instanceof SyscallError) || error.explanation !== undefined) return error;
  const mtu = options.mtu;
  const outOfRange = mtu !== undefined && link.minMtu !== undefined &&
    link.maxMtu !== undefined && (mtu < link.minMtu || mtu > link.maxMtu);
  const hint = outOfRange
    ? mtuRangeHint(name, link)
    : error.errno === EOPNOTSUPP && options.mac !== undefined && link.address === undefined
    ? MAC_HINTS.tun(name)
    : error.errno === EADDRNOTAVAIL && options.mac !== undefined
    ? MAC_HINTS.unicast
    : undefined;
  return hint === undefined ? error : new SyscallError(error.errno, error.syscall, {
    extack: error.extack,
    detail: error.detail,
    explanation: hint,
    cause: error.cause,
  });
}

/** A path to a namespace given by name, path or descriptor of this process. */
function movedPath(moveTo: string | number): string {
  return typeof moveTo === "number" ? `/proc/self/fd/${moveTo}` : netnsPath(moveTo);
}
