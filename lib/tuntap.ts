/**
 * Creating, deleting, getting and listing persistent TUN/TAP devices.
 *
 * @module
 */

import { describeFlags, describeHolders, toDevice } from "./_device.ts";
import {
  EBUSY,
  EINVAL,
  ENFILE,
  ENODEV,
  EPERM,
  IFF_MULTI_QUEUE,
  IFF_NO_PI,
  IFF_ONE_QUEUE,
  IFF_TAP,
  IFF_TUN,
  IFF_TUN_EXCL,
  IFF_VNET_HDR,
} from "./_kernel.ts";
import { Rtnl } from "./_rtnl.ts";
import { CREATE_EPERM_HINT, TunFd } from "./_tunfd.ts";
import { TunTapError } from "./errors.ts";
import { resolveGroup, resolveUser } from "./ids.ts";
import { nameProblem } from "./names.ts";
import { withNetns } from "./netns.ts";
import {
  decodeLinkIfAny,
  encodeLinkDump,
  type LinkMessage,
  RTEXT_FILTER_SKIP_STATS,
  RTM_GETLINK,
} from "./netlink/mod.ts";
import { attachedProcesses } from "./processes.ts";
import type {
  CreateTunTapOptions,
  DeleteTunTapOptions,
  ListTunTapsOptions,
  NetnsOptions,
  TunTapDevice,
  TunTapMode,
} from "./types.ts";

const MODE_FLAGS: Readonly<Record<TunTapMode, number>> = { tun: IFF_TUN, tap: IFF_TAP };

function checkMode(mode: unknown, action: string): TunTapMode {
  if (mode !== "tun" && mode !== "tap") {
    throw new TypeError(`${action}: mode must be "tun" or "tap", not ${JSON.stringify(mode)}`);
  }
  return mode;
}

function invalidName(action: string, problem: string): TunTapError {
  return new TunTapError(action, { errno: EINVAL, syscall: "ioctl(TUNSETIFF)", hint: problem });
}

/** Runs a hint computation; a failure to explain must never hide the error itself. */
function explain(compute: () => string | undefined): string | undefined {
  try {
    return compute();
  } catch {
    return undefined;
  }
}

function lookup(name: string, action: string): LinkMessage | undefined {
  using rtnl = Rtnl.open();
  return rtnl.getLink({ name }, action);
}

function describeLink(link: LinkMessage): string {
  return link.kind === undefined ? "it has no link kind" : `its kind is ${link.kind}`;
}

function holdersOf(name: string): string | undefined {
  const holders = attachedProcesses([name]).get(name) ?? [];
  return holders.length > 0 ? describeHolders(holders) : undefined;
}

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
    );
  });
}
