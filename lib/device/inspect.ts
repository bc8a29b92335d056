/**
 * The full view of TUN/TAP devices: everything the kernel reports about
 * each, with its addresses, its master, its network namespace and the
 * processes holding it.
 *
 * @module
 */

import { operate } from "../_boundary.ts";
import type { TunTapAddress } from "../address/address.ts";
import { dumpAddresses } from "../address/_inet.ts";
import { RTEXT_FILTER_SKIP_STATS, RTM_GETLINK } from "../netlink/_constants.ts";
import { decodeLinkIfAny, encodeLinkDump, type LinkMessage } from "../netlink/_link.ts";
import { currentNetnsInode, currentNetnsName } from "../netns/_identity.ts";
import { Rtnl } from "../transport/_rtnl.ts";
import { toDevice } from "./_device.ts";
import { checkMode, checkNameType, nameProblem } from "./_checks.ts";
import type { ListTunTapsOptions } from "./list.ts";
import { attachedProcesses } from "./processes.ts";
import type { Holder, TunTapDevice } from "./types.ts";

/** A TUN/TAP device with everything around it, as {@linkcode inspectTunTaps} finds it. */
export interface TunTapInspection extends TunTapDevice {
  /** The namespace's name in `/run/netns`, or `null` when it has none there (the initial one, usually). */
  netns: string | null;
  /** The namespace's inode number, which identifies it even without a name. */
  netnsInode: number;
  /** Device flags: `UP`, `POINTOPOINT`, `NOARP`, `MULTICAST`, `RUNNING`, `LOWER_UP`, …. */
  linkFlags: string[];
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
 * Everything about TUN/TAP devices: flags, owner, queues, link state, MAC,
 * master, addresses, namespace and holders.
 *
 * @example Usage
 * ```ts ignore
 * import { inspectTunTaps } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * for (const d of inspectTunTaps()) {
 *   console.log(d.name, d.netns, d.addresses.map((a) => a.address), d.processes);
 * }
 * const [tun0] = inspectTunTaps({ name: "tun0" });
 * assert.deepEqual(tun0?.addresses.map((a) => `${a.address}/${a.prefixLength}`), ["10.1.0.1/24"]);
 * assert.ok(tun0?.linkFlags.includes("UP"));
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
 * @throws {TypeError} When the mode or the name is not one.
 * @throws {TunTapError} When the namespace cannot be entered or the kernel
 *   cannot be asked.
 */
export function inspectTunTaps(options: ListTunTapsOptions = {}): TunTapInspection[] {
  const action = "Cannot inspect TUN/TAP devices";
  if (options.mode !== undefined) checkMode(options.mode, action);
  if (options.name !== undefined) {
    checkNameType(options.name, action);
    if (nameProblem(options.name, false) !== undefined) return [];
  }
  const onInterrupted = options.onInterrupted ?? (() => {});
  return operate(action, undefined, { name: options.name }, options.netns, () => {
    using rtnl = Rtnl.open();
    const links = rtnl.dump(
      (seq) => encodeLinkDump({ seq, extMask: RTEXT_FILTER_SKIP_STATS }),
      RTM_GETLINK,
      decodeLinkIfAny,
      onInterrupted,
    );
    const names = new Map(links.map((l) => [l.index, l.name]));
    const chosen: [LinkMessage, TunTapDevice][] = [];
    for (const link of links) {
      const device = toDevice(link, (index) => names.get(index));
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
      onInterrupted,
    );
    const holders = attachedProcesses(chosen.map(([, d]) => d));
    const netnsName = options.netns !== undefined && !options.netns.includes("/")
      ? options.netns
      : currentNetnsName();
    const netnsInode = currentNetnsInode();
    return chosen.map(([link, device]): TunTapInspection => ({
      ...device,
      netns: netnsName,
      netnsInode,
      linkFlags: linkFlagWords(link.flags),
      addresses: addresses.filter((a) => a.index === device.index),
      processes: holders.get(device.name) ?? [],
    }));
  });
}
