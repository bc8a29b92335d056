/**
 * Deleting persistent TUN/TAP devices.
 *
 * @module
 */

import { describeFlags, toDevice } from "./_device.ts";
import { EBUSY, EINVAL, EPERM, IFF_MULTI_QUEUE, IFF_NO_PI } from "./_kernel.ts";
import { describeLink, explain, holdersOf } from "./_hints.ts";
import { checkMode, invalidName, lookup, MODE_FLAGS } from "./_ops.ts";
import { TunFd } from "./_tunfd.ts";
import { TunTapError } from "./errors.ts";
import { nameProblem } from "./names.ts";
import { withNetns } from "./netns.ts";
import type { LinkMessage } from "./netlink/mod.ts";
import type { DeleteTunTapOptions, TunTapDevice } from "./types.ts";

function deleteHint(
  errno: number,
  name: string,
  link: LinkMessage,
  device: TunTapDevice | undefined,
): string | undefined {
  switch (errno) {
    case EINVAL:
      return device === undefined
        ? `${name} is not a TUN/TAP device (${describeLink(link)})`
        : `${name} is a ${
          describeFlags(device)
        } device: the mode and the multi_queue flag must match it`;
    case EBUSY:
      return explain(() => {
        const holders = holdersOf(name);
        return `${name} is in use${
          holders ? ` by ${holders}` : ""
        }: stop the holder first, or remove the link anyway with "ip link del ${name}"`;
      });
    case EPERM: {
      if (device === undefined) return undefined;
      const ids = [
        device.owner === undefined ? undefined : `uid ${device.owner}`,
        device.group === undefined ? undefined : `gid ${device.group}`,
      ].filter((x) => x !== undefined);
      return ids.length > 0
        ? `${name} belongs to ${ids.join(" and ")}: only they or CAP_NET_ADMIN may delete it`
        : "deleting this device needs CAP_NET_ADMIN";
    }
  }
  return undefined;
}

/**
 * Deletes a persistent TUN/TAP device the way `ip tuntap del` does: attach
 * to it, clear persistence, detach.
 *
 * Without `mode` the device's own mode and multi-queue flag are used; with
 * it, a mismatch fails with EINVAL as in iproute2. A single-queue device
 * held open by a process fails with EBUSY; a multi-queue device with queues
 * held by others loses persistence and disappears when they close it. A
 * name that does not exist is not an error.
 *
 * @example Usage
 * ```ts ignore
 * import { deleteTunTap } from "@netdev/tuntap";
 *
 * if (!deleteTunTap("tap0")) console.log("there was no tap0");
 * ```
 *
 * @example Names the kernel never gives are refused
 * ```ts
 * import { deleteTunTap, TunTapError } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => deleteTunTap("a/b"), TunTapError);
 * ```
 *
 * @param name The device.
 * @param options Expected mode and multi-queue flag, and namespace.
 * @returns `true` if the device existed, `false` if there was none.
 */
export function deleteTunTap(name: string, options: DeleteTunTapOptions = {}): boolean {
  const action = `Cannot delete device "${name}"`;
  if (options.mode !== undefined) checkMode(options.mode, action);
  const problem = nameProblem(name, false);
  if (problem !== undefined) throw invalidName(action, problem);
  return withNetns(options.netns, () => {
    const link = lookup(name, action);
    if (link === undefined) return false;
    const device = toDevice(link);
    const mode = options.mode ?? device?.mode;
    if (mode === undefined) {
      throw new TunTapError(action, {
        errno: EINVAL,
        syscall: "ioctl(TUNSETIFF)",
        hint: deleteHint(EINVAL, name, link, device),
      });
    }
    const multiQueue = options.multiQueue ?? device?.multiQueue ?? false;
    const flags = MODE_FLAGS[mode] | IFF_NO_PI | (multiQueue ? IFF_MULTI_QUEUE : 0);
    using tun = TunFd.open(action);
    tun.setIff(name, flags, action, (errno) => deleteHint(errno, name, link, device));
    tun.setPersist(false, action);
    return true;
  });
}
