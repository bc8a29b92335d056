/**
 * Creating persistent TUN/TAP devices.
 *
 * @module
 */

import { describeFlags, toDevice } from "./_device.ts";
import {
  EBUSY,
  ENFILE,
  ENODEV,
  EPERM,
  IFF_MULTI_QUEUE,
  IFF_NO_PI,
  IFF_ONE_QUEUE,
  IFF_TUN_EXCL,
  IFF_VNET_HDR,
} from "./_kernel.ts";
import { describeLink, explain, holdersOf } from "./_hints.ts";
import { checkMode, invalidName, lookup, MODE_FLAGS } from "./_ops.ts";
import { CREATE_EPERM_HINT, TunFd } from "./_tunfd.ts";
import { TunTapError } from "./errors.ts";
import { resolveGroup, resolveUser } from "./ids.ts";
import { nameProblem } from "./names.ts";
import { withNetns } from "./netns.ts";
import type { CreateTunTapOptions, TunTapDevice } from "./types.ts";

function createHint(errno: number, name: string, action: string): string | undefined {
  switch (errno) {
    case EPERM:
      return CREATE_EPERM_HINT;
    case ENFILE:
      return `no free number is left for the template "${name}"`;
    case EBUSY:
      return explain(() => {
        if (name === "") return undefined;
        const link = lookup(name, action);
        if (link === undefined) return `the name ${name} is taken`;
        const device = toDevice(link);
        if (device === undefined) {
          return `${name} already exists and is not a TUN/TAP device (${describeLink(link)})`;
        }
        const holders = device.persist ? undefined : holdersOf(name);
        return `${name} already exists (${describeFlags(device)})${
          holders ? `, held open by ${holders}` : ""
        }`;
      });
  }
  return undefined;
}

/**
 * Creates a persistent TUN/TAP device.
 *
 * Creation is atomic: owner and group are set before the device is made
 * persistent, so when any step fails the kernel destroys the half-made
 * device as the descriptor closes, and nothing is left behind. An existing
 * name is refused (EBUSY), as with `ip tuntap add`.
 *
 * Needs CAP_NET_ADMIN in the user namespace that owns the network namespace.
 *
 * The returned device is read back after the creating descriptor closes. If
 * another thread of this process forks at that instant, the child holds a
 * copy of the descriptor until it calls `exec`, and the snapshot can still
 * show the queue attached (`carrier`, `queues`).
 *
 * @example Usage
 * ```ts ignore
 * import { createTunTap, deleteTunTap } from "@netdev/tuntap";
 *
 * const tap = createTunTap({ name: "vm%d", mode: "tap", owner: "nobody", vnetHdr: true });
 * console.log(tap.name, tap.address); // vm0 2a:…
 * deleteTunTap(tap.name);
 * ```
 *
 * @example Bad input changes nothing
 * ```ts
 * import { createTunTap, TunTapError } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.throws(
 *   () => createTunTap({ name: "a:b", mode: "tun" }),
 *   (e: unknown) => e instanceof TunTapError && e.code === "EINVAL",
 * );
 * ```
 *
 * @param options Name, mode, owner, group, flags and namespace.
 * @returns The device, with the name the kernel gave it (`%d` filled in).
 */
export function createTunTap(options: CreateTunTapOptions): TunTapDevice {
  const requested = options.name ?? "";
  const action = requested === ""
    ? `Cannot create ${String(options.mode)} device`
    : `Cannot create device "${requested}"`;
  const mode = checkMode(options.mode, action);
  if (requested !== "") {
    const problem = nameProblem(requested, true);
    if (problem !== undefined) throw invalidName(action, problem);
  }
  const uid = options.owner === undefined ? undefined : resolveUser(options.owner);
  const gid = options.group === undefined ? undefined : resolveGroup(options.group);
  const flags = MODE_FLAGS[mode] | IFF_TUN_EXCL |
    (options.pi ? 0 : IFF_NO_PI) |
    (options.oneQueue ? IFF_ONE_QUEUE : 0) |
    (options.vnetHdr ? IFF_VNET_HDR : 0) |
    (options.multiQueue ? IFF_MULTI_QUEUE : 0);
  return withNetns(options.netns, () => {
    let name: string;
    {
      using tun = TunFd.open(action);
      name = tun.setIff(requested, flags, action, (errno) => createHint(errno, requested, action));
      if (uid !== undefined) tun.setId("owner", uid, action);
      if (gid !== undefined) tun.setId("group", gid, action);
      tun.setPersist(true, action);
    }
    const link = lookup(name, action);
    const device = link && toDevice(link);
    if (device === undefined) {
      throw new TunTapError(action, {
        errno: ENODEV,
        syscall: "RTM_GETLINK",
        hint: `${name} vanished right after it was created: another process deleted it`,
      });
    }
    return device;
  });
}
