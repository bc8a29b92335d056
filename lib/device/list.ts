/**
 * Getting and listing TUN/TAP devices.
 *
 * @module
 */

import { operate } from "../_boundary.ts";
import type { NetnsOptions } from "../netns/netns.ts";
import { Rtnl } from "../transport/_rtnl.ts";
import { masterNames, nameMasters, toDevice } from "./_device.ts";
import { mapTunTaps } from "./_map.ts";
import { checkMode, checkNameType, nameProblem } from "./_checks.ts";
import type { TunTapDevice, TunTapMode } from "./types.ts";

/** Filter and namespace of {@linkcode listTunTaps}. */
export interface ListTunTapsOptions extends NetnsOptions {
  /** Only the device of this name. */
  name?: string;
  /** Only devices of this mode. */
  mode?: TunTapMode;
  /**
   * Called when links kept changing while they were listed, so that the
   * kernel interrupted every attempt (8, over about 130 ms): the list is the
   * last attempt's, and may miss or repeat a device that changed meanwhile,
   * as iproute2's may ("Dump was interrupted and may be inconsistent.").
   * Without it, the list is returned all the same.
   */
  onInterrupted?: () => void;
}

/**
 * Gets one TUN/TAP device.
 *
 * @example Usage
 * ```ts ignore
 * import { getTunTap } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * const tun = getTunTap("tun0");
 * if (tun?.persist) console.log(`tun0 belongs to uid ${tun.owner}`);
 * assert.equal(tun?.mode, "tun");
 * assert.equal(getTunTap("nosuch0"), undefined);
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
 * @throws {TypeError} When the name holds a NUL byte or is not a string.
 * @throws {TunTapError} When the namespace cannot be entered or the kernel
 *   cannot be asked.
 */
export function getTunTap(name: string, options: NetnsOptions = {}): TunTapDevice | undefined {
  const action = `Cannot get device "${name}"`;
  checkNameType(name, action);
  if (nameProblem(name, false) !== undefined) return undefined;
  return operate(action, undefined, { name }, options.netns, () => {
    using rtnl = Rtnl.open();
    const link = rtnl.getLink({ name });
    return link && toDevice(link, masterNames(rtnl, [link]));
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
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * for (const device of listTunTaps({ mode: "tap" })) console.log(device.name);
 * assert.deepEqual(listTunTaps({ mode: "tap" }).map((d) => d.name), ["tap0", "tap1"]);
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
 * @throws {TypeError} When the mode or the name is not one.
 * @throws {TunTapError} When the namespace cannot be entered or the kernel
 *   cannot be asked.
 */
export function listTunTaps(options: ListTunTapsOptions = {}): TunTapDevice[] {
  const { name, mode } = options;
  const action = "Cannot list TUN/TAP devices";
  if (mode !== undefined) checkMode(mode, action);
  if (name !== undefined) {
    const device = getTunTap(name, options);
    return device && (mode === undefined || device.mode === mode) ? [device] : [];
  }
  return mapTunTaps(options, (device) => device, nameMasters);
}
