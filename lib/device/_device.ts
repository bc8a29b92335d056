/**
 * Turns rtnetlink link messages into {@linkcode TunTapDevice} values, and
 * describes devices in hints.
 *
 * @module
 */

import { ARPHRD_ETHER, IFF_UP, type LinkMessage } from "./netlink/mod.ts";
import type { Holder, OperState, TunTapDevice, TunTapMode } from "./types.ts";

const OPERSTATES: readonly OperState[] = [
  "unknown",
  "notpresent",
  "down",
  "lowerlayerdown",
  "testing",
  "dormant",
  "up",
];

/**
 * Formats a hardware address as `aa:bb:cc:dd:ee:ff`.
 *
 * @param bytes The address.
 * @returns The text.
 */
export function formatMac(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(":");
}

/**
 * Whether a link is a TUN/TAP device (kind "tun", for both modes).
 *
 * @param link The link.
 * @returns Whether it is one.
 */
export function isTunTap(link: LinkMessage): boolean {
  return link.kind === "tun" && link.name !== undefined;
}

/**
 * The device a link message describes, or `undefined` for other links.
 *
 * @param link The link.
 * @returns The device.
 */
export function toDevice(link: LinkMessage): TunTapDevice | undefined {
  if (!isTunTap(link)) return undefined;
  const tun = link.tun ?? {};
  // IFLA_TUN_TYPE exists since Linux 4.17; fall back to the hardware type.
  const mode: TunTapMode = tun.type === undefined
    ? (link.type === ARPHRD_ETHER ? "tap" : "tun")
    : (tun.type === 2 ? "tap" : "tun");
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
    device.address = formatMac(link.address);
  }
  if (link.master !== undefined && link.master !== 0) device.master = link.master;
  return device;
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
 * The device's kind of flags, as in hints: "tun persist multi_queue".
 *
 * @param device The device.
 * @returns The words.
 */
export function describeFlags(device: TunTapDevice): string {
  const words: string[] = [device.mode];
  if (device.pi) words.push("pi");
  if (device.multiQueue) words.push("multi_queue");
  if (device.vnetHdr) words.push("vnet_hdr");
  if (device.persist) words.push("persist");
  if (device.owner !== undefined) words.push(`user ${device.owner}`);
  if (device.group !== undefined) words.push(`group ${device.group}`);
  return words.join(" ");
}

/**
 * Lists holders as `comm(pid)`, comma-separated.
 *
 * @param holders The holders.
 * @returns The text.
 */
export function describeHolders(holders: readonly Holder[]): string {
  return holders.map((h) => `${h.comm ?? "<NULL>"}(${h.pid})`).join(", ");
}
