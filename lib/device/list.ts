/**
 * Getting and listing TUN/TAP devices.
 *
 * @module
 */

import { toDevice } from "./_device.ts";
import { checkMode, lookup } from "./_ops.ts";
import { Rtnl } from "./_rtnl.ts";
import { checkNameType, nameProblem } from "./names.ts";
import { withNetns } from "./netns.ts";
import {
  decodeLinkIfAny,
  encodeLinkDump,
  RTEXT_FILTER_SKIP_STATS,
  RTM_GETLINK,
} from "./netlink/mod.ts";
import type { ListTunTapsOptions, NetnsOptions, TunTapDevice } from "./types.ts";

/**
 * Gets one TUN/TAP device.
 *
 * @example Usage
 * ```ts ignore
 * import { getTunTap } from "@netdev/tuntap";
 *
 * const tun = getTunTap("tun0");
 * if (tun?.persist) console.log(`tun0 belongs to uid ${tun.owner}`);
 * ```
 *
 * @example A name no device can have
 * ```ts
 * import { getTunTap } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.equal(getTunTap("no/such"), undefined);
 * ```
 *
 * @param name The device.
 * @param options Namespace.
 * @returns The device, or `undefined` if no TUN/TAP device has that name.
 */
export function getTunTap(name: string, options: NetnsOptions = {}): TunTapDevice | undefined {
  checkNameType(name, `Cannot get device "${name}"`);
  if (nameProblem(name, false) !== undefined) return undefined;
  return withNetns(options.netns, () => {
    const link = lookup(name, `Cannot get device "${name}"`);
    return link && toDevice(link);
  });
}

/**
 * Lists TUN/TAP devices, in interface index order, from one rtnetlink dump
 * filtered by the kernel (kind "tun") and checked again here. Flags, owner
 * and group come from the `IFLA_TUN_*` attributes, so the answer is right in
 * any network namespace (sysfs is never read).
 *
 * @example Usage
 * ```ts ignore
 * import { listTunTaps } from "@netdev/tuntap";
 *
 * for (const device of listTunTaps({ mode: "tap" })) console.log(device.name);
 * ```
 *
 * @example A filter by name
 * ```ts
 * import { listTunTaps } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(listTunTaps({ name: "no/such" }), []);
 * ```
 *
 * @param options Filters and namespace.
 * @returns The devices.
 */
export function listTunTaps(options: ListTunTapsOptions = {}): TunTapDevice[] {
  const { name, mode } = options;
  if (mode !== undefined) checkMode(mode, "Cannot list TUN/TAP devices");
  if (name !== undefined) checkNameType(name, "Cannot list TUN/TAP devices");
  if (name !== undefined) {
    const device = getTunTap(name, options);
    return device && (mode === undefined || device.mode === mode) ? [device] : [];
  }
  return withNetns(options.netns, () => {
    using rtnl = Rtnl.open();
    return rtnl.dump(
      (seq) => encodeLinkDump({ seq, kind: "tun", extMask: RTEXT_FILTER_SKIP_STATS }),
      RTM_GETLINK,
      (message) => {
        const link = decodeLinkIfAny(message);
        const device = link && toDevice(link);
        return device && (mode === undefined || device.mode === mode) ? device : undefined;
      },
      "Cannot list TUN/TAP devices",
      options.onInterrupted ?? (() => {}),
    );
  });
}
