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
import { testHooks } from "./_hooks.ts";
import { Rtnl } from "./_rtnl.ts";
import { CREATE_EPERM_HINT, TunFd } from "./_tunfd.ts";
import { TunTapError } from "./errors.ts";
import { resolveGroup, resolveUser } from "./ids.ts";
import { checkNameType, nameProblem } from "./names.ts";
import { withNetns } from "./netns.ts";
import type {
  CreateOutcome,
  CreateRequest,
  CreateTunTapOptions,
  CreateTunTapsOptions,
  TunTapDevice,
} from "./types.ts";

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
  const plan = prepare(options);
  return withNetns(options.netns, () => {
    using rtnl = Rtnl.open();
    const made = make(plan, rtnl);
    testHooks.beforeReadBack?.(made.name);
    const [device] = readBack(rtnl, [made], plan.action);
    if (device instanceof TunTapError) throw device;
    return device as TunTapDevice;
  });
}

/** A checked creation request: what to ask the kernel, and how to word its failures. */
interface Plan {
  requested: string;
  action: string;
  flags: number;
  uid: number | undefined;
  gid: number | undefined;
}

function prepare(options: CreateTunTapOptions): Plan {
  const requested = options.name ?? "";
  const action = requested === ""
    ? `Cannot create ${String(options.mode)} device`
    : `Cannot create device "${requested}"`;
  checkNameType(requested, action);
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
  return { requested, action, flags, uid, gid };
}

/** A device just made: its name, and its index when it was learned. */
interface Made {
  name: string;
  /** Learned while the creating descriptor was still open; absent if not asked for. */
  index?: number | undefined;
}

/**
 * Creates the device in the current namespace. With `rtnl`, its interface
 * index is read while the creating descriptor still holds it (and checked
 * against the name the descriptor reports), so that reading it back later
 * finds this device and no other that took its name.
 */
function make({ requested, action, flags, uid, gid }: Plan, rtnl?: Rtnl): Made {
  using tun = TunFd.open(action);
  const name = tun.setIff(
    requested,
    flags,
    action,
    (errno) => createHint(errno, requested, action),
  );
  if (uid !== undefined) tun.setId("owner", uid, action);
  if (gid !== undefined) tun.setId("group", gid, action);
  tun.setPersist(true, action);
  if (rtnl === undefined) return { name };
  const link = rtnl.getLink({ name }, action);
  const mine = link !== undefined && tun.attachedName(action) === name;
  return { name, index: mine ? link.index : -1 };
}

function vanished(name: string, action: string): TunTapError {
  return new TunTapError(action, {
    errno: ENODEV,
    syscall: "RTM_GETLINK",
    hint: `${name} vanished right after it was created: another process deleted or renamed it`,
  });
}

/**
 * The devices just made, read by the index each was made with: a device
 * deleted or renamed meanwhile is reported, never replaced by another that
 * took its name or its index.
 */
function readBack(
  rtnl: Rtnl,
  made: readonly Made[],
  action: string,
): (TunTapDevice | TunTapError)[] {
  const links = rtnl.getLinks(
    made.map((m) => ({ index: m.index !== undefined && m.index > 0 ? m.index : 0 })),
    action,
  );
  return made.map((m, i) => {
    const link = m.index !== undefined && m.index > 0 ? links[i] : undefined;
    const device = link && link.name === m.name ? toDevice(link) : undefined;
    return device ?? vanished(m.name, action);
  });
}

/**
 * Creates many persistent TUN/TAP devices, each as {@linkcode createTunTap}
 * would (same checks, same errors), entering the namespace once and reading
 * all of them back with one dump instead of one request each.
 *
 * @example Usage
 * ```ts ignore
 * import { createTunTaps } from "@netdev/tuntap";
 *
 * const requests = Array.from({ length: 8 }, () => ({ name: "vm%d", mode: "tap" as const }));
 * for (const { name, device, error } of createTunTaps(requests, { netns: "lab" })) {
 *   console.log(name, device?.name ?? error?.message);
 * }
 * ```
 *
 * @example Nothing to create
 * ```ts
 * import { createTunTaps } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(createTunTaps([]), []);
 * ```
 *
 * @param requests Name, mode, owner, group and flags of each device.
 * @param options Stop at the first failure, read back or not, and namespace.
 * @returns One outcome per request, in order (fewer when stopped early).
 */
export function createTunTaps(
  requests: readonly CreateRequest[],
  options: CreateTunTapsOptions = {},
): CreateOutcome[] {
  if (requests.length === 0) return [];
  return withNetns(options.netns, () => {
    using rtnl = options.readBack === false ? undefined : Rtnl.open();
    const made: { outcome: CreateOutcome; made: Made; action: string }[] = [];
    const outcomes: CreateOutcome[] = [];
    for (const request of requests) {
      const outcome: CreateOutcome = { name: request.name ?? "" };
      outcomes.push(outcome);
      try {
        const plan = prepare(request);
        const one = make(plan, rtnl);
        outcome.name = one.name;
        made.push({ outcome, made: one, action: plan.action });
      } catch (error) {
        if (!(error instanceof TunTapError)) throw error;
        outcome.error = error;
        if (options.stopOnError) break;
      }
    }
    if (rtnl === undefined || made.length === 0) return outcomes;
    const devices = readBack(rtnl, made.map((m) => m.made), "Cannot read the devices back");
    made.forEach(({ outcome, action }, i) => {
      const device = devices[i];
      if (device instanceof TunTapError) outcome.error = vanished(outcome.name, action);
      else if (device !== undefined) outcome.device = device;
    });
    return outcomes;
  });
}
