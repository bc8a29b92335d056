/**
 * The device view of links: turning rtnetlink link messages into
 * {@linkcode TunTapDevice} values, finding a link by name (or failing with
 * ENODEV), MAC addresses as text, and describing devices in hints.
 *
 * @module
 */

import { EINVAL, ENODEV } from "../_errno.ts";
import { ARPHRD_ETHER, IFF_UP } from "../netlink/_constants.ts";
import type { LinkMessage, TunLinkScan } from "../netlink/_link.ts";
import { Rtnl } from "../transport/_rtnl.ts";
import { SyscallError } from "../transport/_syscall.ts";
import type { Holder, OperState, TunTapDevice, TunTapMode } from "./types.ts";

/**
 * Formats a hardware address as `aa:bb:cc:dd:ee:ff`.
 *
 * @param bytes The address.
 * @returns The text.
 */
export function formatMac(bytes: Uint8Array): string {
  return formatMacAt(bytes, 0, bytes.byteLength);
}

/** Two hex digits for each byte value. */
const HEX: readonly string[] = Array.from(
  { length: 256 },
  (_, b) => b.toString(16).padStart(2, "0"),
);

/** Formats the hardware address at `bytes[start, end)`, as {@linkcode formatMac} does. */
function formatMacAt(bytes: Uint8Array, start: number, end: number): string {
  let text = "";
  for (let i = start; i < end; i++) text += i === start ? HEX[bytes[i]!]! : `:${HEX[bytes[i]!]}`;
  return text;
}

/** The operational states, by their `IF_OPER_*` number. */
export const OPERSTATES: readonly OperState[] = [
  "unknown",
  "notpresent",
  "down",
  "lowerlayerdown",
  "testing",
  "dormant",
  "up",
];

/**
 * Whether a link is a TUN/TAP device (kind "tun", for both modes).
 *
 * @param link The link.
 * @returns Whether it is one.
 */
function isTunTap(link: LinkMessage): boolean {
  return link.kind === "tun" && link.name !== undefined;
}

/**
 * The device a link message describes, or `undefined` for other links.
 *
 * @param link The link.
 * @param masterName The name of the link of an index, to name the master;
 *   without it (or when it does not know), `master` is left out.
 * @returns The device.
 */
export function toDevice(
  link: LinkMessage,
  masterName?: (index: number) => string | undefined,
): TunTapDevice | undefined {
  if (!isTunTap(link)) return undefined;
  const tun = link.tun ?? {};
  const mode = modeOf(tun.type ?? -1, link.type);
  const device: TunTapDevice = {
    name: link.name as string,
    index: link.index,
    mode,
    pi: tun.pi ?? false,
    vnetHdr: tun.vnetHdr ?? false,
    multiQueue: tun.multiQueue ?? false,
    persist: tun.persist ?? false,
    mtu: link.mtu ?? 0,
    txQueueLen: link.txQueueLen ?? 0,
    up: (link.flags & IFF_UP) !== 0,
    operstate: OPERSTATES[link.operstate ?? 0] ?? "unknown",
    carrier: link.carrier === 1,
  };
  if (tun.owner !== undefined) device.owner = tun.owner;
  if (tun.group !== undefined) device.group = tun.group;
  if (tun.numQueues !== undefined) device.queues = tun.numQueues;
  if (tun.numDisabledQueues !== undefined) device.disabledQueues = tun.numDisabledQueues;
  if (link.minMtu !== undefined) device.minMtu = link.minMtu;
  if (link.maxMtu !== undefined) device.maxMtu = link.maxMtu;
  if (link.address !== undefined && link.address.byteLength > 0) {
    device.mac = formatMac(link.address);
  }
  if (link.master !== undefined && link.master !== 0) {
    const master = masterName?.(link.master);
    if (master !== undefined) device.master = master;
    device.masterIndex = link.master;
  }
  return device;
}

/** The mode: from `IFLA_TUN_TYPE` (Linux 4.17 and later), else from the hardware type. */
function modeOf(tunType: number, hwType: number): TunTapMode {
  if (tunType < 0) return hwType === ARPHRD_ETHER ? "tap" : "tun";
  return tunType === 2 ? "tap" : "tun";
}

/**
 * The device a {@linkcode scanTunLink} of a dump message found, as
 * {@linkcode toDevice} makes it from the same message, but with the master's
 * index only ({@linkcode nameMasters} adds the names after the dump).
 *
 * @param scan The scan of a tun link.
 * @returns The device.
 */
export function deviceOfScan(scan: TunLinkScan): TunTapDevice {
  const device: TunTapDevice = {
    name: scan.name,
    index: scan.index,
    mode: modeOf(scan.tunType, scan.hwType),
    pi: scan.pi,
    vnetHdr: scan.vnetHdr,
    multiQueue: scan.multiQueue,
    persist: scan.persist,
    mtu: scan.mtu < 0 ? 0 : scan.mtu,
    txQueueLen: scan.txQueueLen < 0 ? 0 : scan.txQueueLen,
    up: (scan.flags & IFF_UP) !== 0,
    operstate: OPERSTATES[scan.operstate < 0 ? 0 : scan.operstate] ?? "unknown",
    carrier: scan.carrier === 1,
  };
  if (scan.owner >= 0) device.owner = scan.owner;
  if (scan.group >= 0) device.group = scan.group;
  if (scan.numQueues >= 0) device.queues = scan.numQueues;
  if (scan.numDisabledQueues >= 0) device.disabledQueues = scan.numDisabledQueues;
  if (scan.minMtu >= 0) device.minMtu = scan.minMtu;
  if (scan.maxMtu >= 0) device.maxMtu = scan.maxMtu;
  if (scan.addressLength > 0) {
    device.mac = formatMacAt(scan.payload, scan.addressAt, scan.addressAt + scan.addressLength);
  }
  if (scan.master > 0) device.masterIndex = scan.master;
  return device;
}

/**
 * Names the masters of devices made by {@linkcode deviceOfScan}, asking the
 * kernel once for all of them; a device with a master is replaced by one
 * with `master` and `masterIndex` in {@linkcode toDevice}'s order.
 *
 * @param rtnl The socket of the dump.
 * @param devices The devices, changed in place.
 */
export function nameMasters(rtnl: Rtnl, devices: TunTapDevice[]): void {
  if (devices.every((d) => d.masterIndex === undefined)) return;
  const nameOf = linkNames(rtnl, devices.map((d) => d.masterIndex ?? 0));
  devices.forEach((device, i) => {
    if (device.masterIndex === undefined) return;
    const { masterIndex, ...rest } = device;
    const master = nameOf(masterIndex);
    devices[i] = master === undefined ? device : { ...rest, master, masterIndex };
  });
}

/**
 * Whether the kernel says no queue of the device is attached, so that no
 * process can hold it: a multi-queue device reports its queue counts; a
 * persistent single-queue device loses its carrier when its last queue
 * closes. (A holder that switched the carrier off looks idle too.)
 *
 * @param device The device.
 * @returns Whether it is idle.
 */
export function isIdle(device: TunTapDevice): boolean {
  if (device.multiQueue && device.queues !== undefined) {
    return device.queues + (device.disabledQueues ?? 0) === 0;
  }
  return device.persist && !device.carrier;
}

/**
 * Flag words in iproute2's order (`ip tuntap show`). `filter` stands for
 * IFF_NOFILTER being clear; it has the value of IFF_NO_PI, so it shows
 * exactly when `pi` does. `one_queue` and the NAPI bits are not reported
 * over rtnetlink.
 */
const FLAG_WORDS: readonly (readonly [string, (device: TunTapDevice) => boolean])[] = [
  ["tun", (d) => d.mode === "tun"],
  ["tap", (d) => d.mode === "tap"],
  ["pi", (d) => d.pi],
  ["multi_queue", (d) => d.multiQueue],
  ["vnet_hdr", (d) => d.vnetHdr],
  ["persist", (d) => d.persist],
  ["filter", (d) => d.pi],
];

/** The words of each combination of the fields {@linkcode FLAG_WORDS} looks at, made once. */
const FLAG_SETS: (readonly string[] | undefined)[] = [];

/**
 * The flag words of a device, in iproute2's order: one shared, frozen array
 * per combination of flags, so listing thousands of devices builds 32 at
 * most.
 *
 * @param device The device.
 * @returns The words.
 */
export function flagWords(device: TunTapDevice): readonly string[] {
  // Every field a FLAG_WORDS predicate reads is in the key.
  const key = (device.mode === "tap" ? 1 : 0) | (device.pi ? 2 : 0) |
    (device.multiQueue ? 4 : 0) | (device.vnetHdr ? 8 : 0) | (device.persist ? 16 : 0);
  return FLAG_SETS[key] ??= Object.freeze(
    FLAG_WORDS.filter(([, has]) => has(device)).map(([word]) => word),
  );
}

/**
 * The device as `ip tuntap show` describes it, without the name and the
 * `filter` word (which says the same as `pi`): "tun persist user 7".
 *
 * @param device The device.
 * @returns The words.
 */
export function describeFlags(device: TunTapDevice): string {
  const words = flagWords(device).filter((w) => w !== "filter");
  if (device.owner !== undefined) words.push(`user ${device.owner}`);
  if (device.group !== undefined) words.push(`group ${device.group}`);
  return words.join(" ");
}

/**
 * A holder as iproute2 prints it: `comm(pid)`.
 *
 * @param holder The holder.
 * @returns The text.
 */
export function holderText(holder: Holder): string {
  return `${holder.comm ?? "<NULL>"}(${holder.pid})`;
}

/**
 * Lists holders as `comm(pid)`, comma-separated.
 *
 * @param holders The holders.
 * @returns The text.
 */
export function describeHolders(holders: readonly Holder[]): string {
  return holders.map(holderText).join(", ");
}

/**
 * What a link that is not a TUN/TAP device is, for hints.
 *
 * @param link The link.
 * @returns The phrase.
 */
export function describeLink(link: LinkMessage): string {
  return link.kind === undefined ? "it has no link kind" : `its kind is ${link.kind}`;
}

/**
 * One link by name, from a socket opened for it.
 *
 * @param name The name.
 * @returns The link, or `undefined` when there is none.
 */
export function lookupLink(name: string): LinkMessage | undefined {
  using rtnl = Rtnl.open();
  return rtnl.getLink({ name });
}

/**
 * The link of a name, which must exist.
 *
 * @param rtnl The socket.
 * @param name The name.
 * @returns The link.
 * @throws {SyscallError} ENODEV, worded as iproute2 words it.
 */
export function requireLink(rtnl: Rtnl, name: string): LinkMessage {
  const link = rtnl.getLink({ name });
  if (link === undefined) {
    throw new SyscallError(ENODEV, "RTM_GETLINK", { detail: `Cannot find device "${name}"` });
  }
  return link;
}

/**
 * The TUN/TAP device of a name, which must exist and be one.
 *
 * @param rtnl The socket.
 * @param name The name.
 * @returns The link and the device.
 * @throws {SyscallError} ENODEV when there is no such link, EINVAL when it
 *   is not a TUN/TAP device.
 */
export function requireTunTap(
  rtnl: Rtnl,
  name: string,
): { link: LinkMessage; device: TunTapDevice } {
  const link = requireLink(rtnl, name);
  const device = toDevice(link);
  if (device === undefined) {
    throw new SyscallError(EINVAL, "RTM_GETLINK", {
      detail: `${name} is not a TUN/TAP device`,
      explanation: describeLink(link),
    });
  }
  return { link, device };
}

/**
 * Names the masters of `links` (devices in a bridge, a bond, a VRF): the
 * masters are few, and are asked for one by one.
 *
 * @param rtnl The socket.
 * @param links The links whose masters are wanted.
 * @returns The name of each master's index.
 */
export function masterNames(
  rtnl: Rtnl,
  links: readonly LinkMessage[],
): (index: number) => string | undefined {
  return linkNames(rtnl, links.map((l) => l.master ?? 0));
}

/** The names of the links of these indexes (0 and repeats are skipped), asked for in one exchange. */
function linkNames(rtnl: Rtnl, indexes: readonly number[]): (index: number) => string | undefined {
  const wanted = [...new Set(indexes.filter((i) => i > 0))];
  const names = new Map<number, string | undefined>();
  rtnl.getLinks(wanted.map((index) => ({ index }))).forEach((link, i) => {
    names.set(wanted[i] as number, link?.name);
  });
  return (index) => names.get(index);
}

/**
 * Parses a MAC address `aa:bb:cc:dd:ee:ff` (also with `-` separators).
 *
 * @param text The address.
 * @returns The 6 bytes, or `undefined` if the text is not a MAC address.
 */
export function parseMac(text: string): Uint8Array | undefined {
  const bytes = parseLinkLayer(text.replaceAll("-", ":"));
  return bytes?.length === 6 ? bytes : undefined;
}

/**
 * Parses a link-layer address of any length: 1 to 32 hex octets separated
 * by `:`.
 *
 * @param text The address.
 * @returns The bytes, or `undefined` if the text is not one.
 */
export function parseLinkLayer(text: string): Uint8Array | undefined {
  const parts = text.split(":");
  if (parts.length > 32 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}
