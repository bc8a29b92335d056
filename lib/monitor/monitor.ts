/**
 * A live stream of TUN/TAP events, from rtnetlink's multicast groups: the
 * kernel tells a listening socket of each change to links and addresses,
 * in the order it made them. No polling, no busy wait: the socket is
 * waited on by a pool thread, so the event loop goes on.
 *
 * @module
 */

import { formatInet } from "../address/_inet.ts";
import { operate } from "../_boundary.ts";
import { toDevice } from "../device/_device.ts";
import { devicesWithAddresses } from "../address/_links.ts";
import type { TunTapDevice, TunTapMode } from "../device/types.ts";
import type { NetnsOptions } from "../netns/netns.ts";
import {
  type AddressMessage,
  decodeAddressIfAny,
  decodeLinkIfAny,
  type LinkMessage,
  type NetlinkMessage,
  RTM_DELADDR,
  RTM_DELLINK,
  RTNLGRP_IPV4_IFADDR,
  RTNLGRP_IPV6_IFADDR,
  RTNLGRP_LINK,
} from "../netlink/mod.ts";
import { Rtnl } from "../transport/_rtnl.ts";

/** What happened. */
export type TunTapEventKind =
  | "created"
  | "deleted"
  | "moved"
  | "renamed"
  | "changed"
  | "queues"
  | "carrier"
  | "up"
  | "down"
  | "address-added"
  | "address-removed"
  | "lost";

/** One setting that changed. */
export interface EventChange {
  /** `owner`, `group`, `pi`, `vnet_hdr`, `multi_queue`, `persist`, `mtu`, `txqueuelen`, `mac`, `master`. */
  key: string;
  /** Before (`null`: none). */
  from: unknown;
  /** After (`null`: none). */
  to: unknown;
}

/** One event. */
export interface TunTapEvent {
  /** What happened. */
  kind: TunTapEventKind;
  /** When it was read. */
  time: Date;
  /** The device's name (its new name, for a rename); empty for `lost`. */
  name: string;
  /** Its interface index (0 for `lost`). */
  index: number;
  /** Its mode (`undefined` for `lost`). */
  mode?: TunTapMode;
  /** For `renamed`: the old name. */
  oldName?: string;
  /** For `changed`: what changed. */
  changes?: EventChange[];
  /** For `queues`: the number of queues before and after. */
  queues?: { from: number; to: number };
  /** For `carrier`: whether it has carrier now. */
  carrier?: boolean;
  /** For `address-added` / `address-removed`: `ADDR/LEN` (with ` peer PEER`). */
  address?: string;
  /** For `moved`: the new namespace's id (as this one numbers it) and the index there. */
  moved?: { netnsId?: number; index?: number };
  /** For `created`: the device. */
  device?: TunTapDevice;
}

/** Options of {@linkcode monitorTunTaps}. */
export interface MonitorTunTapsOptions extends NetnsOptions {
  /** Only events of this device (by its name, old or new). */
  name?: string;
  /** Only events of devices of this mode. */
  mode?: TunTapMode;
  /** Ends the stream (a pending wait ends at once). */
  signal?: AbortSignal;
}

interface Known {
  device: TunTapDevice;
  addresses: Set<string>;
}

/** The settings a `changed` event compares, with how each is read. */
const SETTINGS: readonly (readonly [string, (d: TunTapDevice) => unknown])[] = [
  ["owner", (d) => d.owner ?? null],
  ["group", (d) => d.group ?? null],
  ["pi", (d) => d.pi],
  ["vnet_hdr", (d) => d.vnetHdr],
  ["multi_queue", (d) => d.multiQueue],
  ["persist", (d) => d.persist],
  ["mtu", (d) => d.mtu],
  ["txqueuelen", (d) => d.txQueueLen],
  ["mac", (d) => d.mac ?? null],
  ["master", (d) => d.master ?? null],
];

function addressText(a: AddressMessage): string | undefined {
  const local = a.local ?? a.address;
  if (local === undefined) return undefined;
  const peer = a.local !== undefined && a.address !== undefined &&
      formatInet(a.address) !== formatInet(a.local)
    ? ` peer ${formatInet(a.address)}`
    : "";
  return `${formatInet(local)}/${a.prefixLength}${peer}`;
}

/** Follows the kernel's notifications and turns them into events. */
class Tracker {
  readonly #known = new Map<number, Known>();
  readonly #names = new Map<number, string>();

  /** Takes the state read by a dump (no events). */
  reset(devices: readonly TunTapDevice[], addresses: ReadonlyMap<number, Set<string>>): void {
    this.#known.clear();
    for (const device of devices) {
      this.#known.set(device.index, {
        device,
        addresses: addresses.get(device.index) ?? new Set(),
      });
    }
  }

  link(link: LinkMessage, time: Date, out: TunTapEvent[]): void {
    if (link.name !== undefined) this.#names.set(link.index, link.name);
    const before = this.#known.get(link.index);
    const base = (device: TunTapDevice) => ({
      time,
      name: device.name,
      index: device.index,
      mode: device.mode,
    });
    if (link.messageType === RTM_DELLINK) {
      if (before === undefined) return;
      this.#known.delete(link.index);
      const moved = link.newNetnsId !== undefined || link.newIndex !== undefined;
      out.push(
        moved
          ? {
            ...base(before.device),
            kind: "moved",
            moved: {
              ...(link.newNetnsId === undefined ? {} : { netnsId: link.newNetnsId }),
              ...(link.newIndex === undefined ? {} : { index: link.newIndex }),
            },
          }
          : { ...base(before.device), kind: "deleted" },
      );
      return;
    }
    const device = toDevice(link, (index) => this.#names.get(index));
    if (device === undefined) return;
    if (before === undefined) {
      this.#known.set(link.index, { device, addresses: new Set() });
      out.push({ ...base(device), kind: "created", device });
      return;
    }
    const was = before.device;
    before.device = device;
    if (was.name !== device.name) out.push({ ...base(device), kind: "renamed", oldName: was.name });
    const changes: EventChange[] = [];
    for (const [key, read] of SETTINGS) {
      const from = read(was);
      const to = read(device);
      if (from !== to) changes.push({ key, from, to });
    }
    if (changes.length > 0) out.push({ ...base(device), kind: "changed", changes });
    if ((was.queues ?? 0) !== (device.queues ?? 0)) {
      out.push({
        ...base(device),
        kind: "queues",
        queues: { from: was.queues ?? 0, to: device.queues ?? 0 },
      });
    }
    if (was.carrier !== device.carrier) {
      out.push({ ...base(device), kind: "carrier", carrier: device.carrier });
    }
    if (was.up !== device.up) out.push({ ...base(device), kind: device.up ? "up" : "down" });
  }

  address(message: AddressMessage, time: Date, out: TunTapEvent[]): void {
    const known = this.#known.get(message.index);
    const text = addressText(message);
    if (known === undefined || text === undefined) return;
    const removed = message.messageType === RTM_DELADDR;
    if (removed ? !known.addresses.delete(text) : known.addresses.has(text)) return;
    if (!removed) known.addresses.add(text);
    const { name, index, mode } = known.device;
    out.push({
      time,
      name,
      index,
      mode,
      kind: removed ? "address-removed" : "address-added",
      address: text,
    });
  }
}

function wanted(event: TunTapEvent, options: MonitorTunTapsOptions): boolean {
  if (event.kind === "lost") return true;
  if (options.mode !== undefined && event.mode !== options.mode) return false;
  if (options.name === undefined) return true;
  return event.name === options.name || event.oldName === options.name;
}

/** Reads the namespace's TUN/TAP devices and their addresses. */
function snapshot(tracker: Tracker, netns: string | undefined): void {
  const found = devicesWithAddresses(netns);
  tracker.reset(
    found.map((f) => f.device),
    new Map(found.map(({ device, addresses }) => [
      device.index,
      new Set(
        addresses.map((a) =>
          `${a.address}/${a.prefixLength}${a.peer === undefined ? "" : ` peer ${a.peer}`}`
        ),
      ),
    ])),
  );
}

/**
 * A live stream of TUN/TAP events in a namespace: created, deleted, moved
 * to another namespace, renamed, settings changed (owner, group, flags,
 * MTU, MAC, master…), queues attached or detached (multi-queue devices),
 * carrier, up/down, addresses added and removed. Devices that exist when
 * it starts are known (their changes are events; their existence is not).
 * When the kernel drops notifications (the socket was full), a `lost`
 * event is given and the state is read again.
 *
 * Ends when `signal` aborts, or when the caller stops iterating.
 *
 * @example Usage
 * ```ts ignore
 * import { createTunTap, deleteTunTap, monitorTunTaps } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * const events = monitorTunTaps({ signal: AbortSignal.timeout(10_000) });
 * const next = events.next(); // listens and reads the devices before it waits
 * createTunTap({ name: "vpn0", mode: "tun" });
 * deleteTunTap("vpn0");
 * const seen = [(await next).value, (await events.next()).value];
 * assert.deepEqual(seen.map((e) => `${e?.kind} ${e?.name}`), ["created vpn0", "deleted vpn0"]);
 * await events.return();
 * ```
 *
 * @param options Namespace, filters, signal.
 * @returns The events, in the kernel's order.
 * @throws {TunTapError} When the namespace cannot be entered or the socket
 *   not opened (at the first step of the iteration).
 */
export async function* monitorTunTaps(
  options: MonitorTunTapsOptions = {},
): AsyncGenerator<TunTapEvent, void, undefined> {
  const { signal } = options;
  if (signal?.aborted) return;
  const tracker = new Tracker();
  // Join first, then read the state: a change made in between is seen twice
  // at worst (and the second time it is no change).
  const rtnl = operate("Cannot monitor devices", undefined, {}, options.netns, () => {
    const socket = Rtnl.open();
    try {
      for (const group of [RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR]) {
        socket.join(group);
      }
      return socket;
    } catch (error) {
      socket.close();
      throw error;
    }
  });
  const stop = () => rtnl.close();
  signal?.addEventListener("abort", stop, { once: true });
  try {
    snapshot(tracker, options.netns);
    for (;;) {
      if (signal?.aborted || !await rtnl.readable()) return;
      if (signal?.aborted) return;
      const time = new Date();
      const events: TunTapEvent[] = [];
      const visit = (message: NetlinkMessage) => {
        const link = decodeLinkIfAny(message);
        if (link !== undefined) return tracker.link(link, time, events);
        const address = decodeAddressIfAny(message);
        if (address !== undefined) tracker.address(address, time, events);
      };
      if (!rtnl.drain(visit)) {
        events.push({ kind: "lost", time, name: "", index: 0 });
        snapshot(tracker, options.netns);
      }
      for (const event of events) if (wanted(event, options)) yield event;
    }
  } finally {
    signal?.removeEventListener("abort", stop);
    rtnl.close();
  }
}
