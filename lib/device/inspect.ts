/**
 * The full view of TUN/TAP devices: everything the kernel reports about
 * each, with its addresses, its master, its network namespace and the
 * processes holding it.
 *
 * @module
 */

import * as libc from "../ffi/mod.ts";
import { toDevice } from "./_device.ts";
import { O_CLOEXEC, O_RDONLY } from "./_kernel.ts";
import { Rtnl } from "./_rtnl.ts";
import { dumpAddresses } from "./_addresses.ts";
import type { TunTapAddress } from "./address.ts";
import { checkNameType, nameProblem } from "./names.ts";
import { currentNetnsInode, NETNS_RUN_DIR, netnsInode, withNetns } from "./netns.ts";
import {
  decodeLinkIfAny,
  decodeText,
  encodeLinkDump,
  encodeText,
  type LinkMessage,
  RTEXT_FILTER_SKIP_STATS,
  RTM_GETLINK,
} from "./netlink/mod.ts";
import { attachedProcesses } from "./processes.ts";
import type { Holder, ListTunTapsOptions, TunTapDevice } from "./types.ts";

/** A TUN/TAP device with everything around it. */
export interface TunTapInfo extends TunTapDevice {
  /** The namespace's name in `/run/netns`, or `null` when it has none there (the initial one, usually). */
  netns: string | null;
  /** The namespace's inode number, which identifies it even without a name. */
  netnsInode: number;
  /** Device flags: `UP`, `POINTOPOINT`, `NOARP`, `MULTICAST`, `RUNNING`, `LOWER_UP`, …. */
  linkFlags: string[];
  /** The master's name, if the device has a master. */
  masterName?: string;
  /** Its addresses. */
  addresses: TunTapAddress[];
  /** The processes holding its queues. */
  processes: Holder[];
}

const LINK_FLAGS: readonly (readonly [number, string])[] = [
  [0x1, "UP"],
  [0x2, "BROADCAST"],
  [0x4, "DEBUG"],
  [0x8, "LOOPBACK"],
  [0x10, "POINTOPOINT"],
  [0x20, "NOTRAILERS"],
  [0x40, "RUNNING"],
  [0x80, "NOARP"],
  [0x100, "PROMISC"],
  [0x200, "ALLMULTI"],
  [0x400, "MASTER"],
  [0x800, "SLAVE"],
  [0x1000, "MULTICAST"],
  [0x10000, "LOWER_UP"],
  [0x20000, "DORMANT"],
  [0x40000, "ECHO"],
];

/**
 * The device flag words of `flags` (`ifi_flags`), in bit order.
 *
 * @param flags The flags.
 * @returns The words.
 */
function linkFlagWords(flags: number): string[] {
  return LINK_FLAGS.filter(([bit]) => (flags & bit) !== 0).map(([, word]) => word);
}

/**
 * The calling thread's network namespace: its inode and its name in
 * `/run/netns`, if it has one there.
 *
 * @returns The inode and the name.
 */
function currentNetns(): { inode: number; name: string | null } {
  const inode = currentNetnsInode();
  const names = libc.readDir(NETNS_RUN_DIR, (b) => decodeText(b));
  if (typeof names === "number") return { inode, name: null };
  for (const name of names) {
    const fd = libc.open(encodeText(`${NETNS_RUN_DIR}/${name}`), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    const other = netnsInode(fd);
    libc.close(fd);
    if (other === inode) return { inode, name };
  }
  return { inode, name: null };
}

/**
 * Everything about TUN/TAP devices: flags, owner, queues, link state, MAC,
 * master, addresses, namespace and holders.
 *
 * @example Usage
 * ```ts ignore
 * import { inspectTunTaps } from "@netdev/tuntap";
 *
 * for (const d of inspectTunTaps()) {
 *   console.log(d.name, d.netns, d.addresses.map((a) => a.address), d.processes);
 * }
 * ```
 *
 * @example Filtered by a name no device can have
 * ```ts
 * import { inspectTunTaps } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(inspectTunTaps({ name: "no/such" }), []);
 * ```
 *
 * @param options Filters (name, mode) and namespace.
 * @returns The devices, in interface index order.
 */
export function inspectTunTaps(options: ListTunTapsOptions = {}): TunTapInfo[] {
  if (options.name !== undefined) {
    checkNameType(options.name, "Cannot inspect TUN/TAP devices");
    if (nameProblem(options.name, false) !== undefined) return [];
  }
  const onInterrupted = options.onInterrupted ?? (() => {});
  return withNetns(options.netns, () => {
    const action = "Cannot inspect TUN/TAP devices";
    using rtnl = Rtnl.open();
    const links = rtnl.dump(
      (seq) => encodeLinkDump({ seq, extMask: RTEXT_FILTER_SKIP_STATS }),
      RTM_GETLINK,
      decodeLinkIfAny,
      action,
      onInterrupted,
    );
    const names = new Map(links.map((l) => [l.index, l.name]));
    const chosen: [LinkMessage, TunTapDevice][] = [];
    for (const link of links) {
      const device = toDevice(link);
      if (device === undefined) continue;
      if (options.name !== undefined && device.name !== options.name) continue;
      if (options.mode !== undefined && device.mode !== options.mode) continue;
      chosen.push([link, device]);
    }
    if (chosen.length === 0) return [];
    const addresses = dumpAddresses(
      rtnl,
      new Map(chosen.map(([, d]) => [d.index, d.name])),
      undefined,
      action,
      onInterrupted,
    );
    const holders = attachedProcesses(chosen.map(([, d]) => d));
    const netns = currentNetns();
    return chosen.map(([link, device]) => {
      const info: TunTapInfo = {
        ...device,
        netns: options.netns !== undefined && !options.netns.includes("/")
          ? options.netns
          : netns.name,
        netnsInode: netns.inode,
        linkFlags: linkFlagWords(link.flags),
        addresses: addresses.filter((a) => a.index === device.index),
        processes: holders.get(device.name) ?? [],
      };
      const master = device.master === undefined ? undefined : names.get(device.master);
      if (master !== undefined) info.masterName = master;
      return info;
    });
  });
}
