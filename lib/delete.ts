/**
 * Deleting persistent TUN/TAP devices: one at a time as `ip tuntap del`
 * does, or many in one kernel batch.
 *
 * @module
 */

import { describeFlags, toDevice } from "./_device.ts";
import { describeLink, explain, holdersOf } from "./_hints.ts";
import { EBUSY, EINVAL, EMFILE, ENODEV, EPERM, IFF_MULTI_QUEUE, IFF_NO_PI } from "./_kernel.ts";
import { checkMode, invalidName, lookup, MODE_FLAGS } from "./_ops.ts";
import { Rtnl } from "./_rtnl.ts";
import { TunFd } from "./_tunfd.ts";
import { TunTapError } from "./errors.ts";
import { nameProblem } from "./names.ts";
import { withNetns } from "./netns.ts";
import {
  decodeLinkIfAny,
  encodeLinkDump,
  type LinkMessage,
  NetlinkWriter,
  RTEXT_FILTER_SKIP_STATS,
  RTM_DELLINK,
  RTM_GETLINK,
  writeLinkChange,
  writeLinkDelete,
} from "./netlink/mod.ts";
import type {
  DeleteOutcome,
  DeleteRequest,
  DeleteTunTapOptions,
  DeleteTunTapsOptions,
  TunTapDevice,
  TunTapMode,
} from "./types.ts";

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
 * Attaches to a device as `ip tuntap del` does and clears its persistence:
 * closing the returned descriptor then deletes it (or, for a multi-queue
 * device other processes hold, leaves it to them).
 */
function attachToDelete(
  name: string,
  link: LinkMessage,
  expected: { mode?: TunTapMode | undefined; multiQueue?: boolean | undefined },
  action: string,
): TunFd {
  const device = toDevice(link);
  const mode = expected.mode ?? device?.mode;
  if (mode === undefined) {
    throw new TunTapError(action, {
      errno: EINVAL,
      syscall: "ioctl(TUNSETIFF)",
      hint: deleteHint(EINVAL, name, link, device),
    });
  }
  const multiQueue = expected.multiQueue ?? device?.multiQueue ?? false;
  const flags = MODE_FLAGS[mode] | IFF_NO_PI | (multiQueue ? IFF_MULTI_QUEUE : 0);
  const tun = TunFd.open(action);
  try {
    tun.setIff(name, flags, action, (errno) => deleteHint(errno, name, link, device));
    tun.setPersist(false, action);
  } catch (error) {
    tun.close();
    throw error;
  }
  return tun;
}

function checkName(name: string, action: string): void {
  const problem = nameProblem(name, false);
  if (problem !== undefined) throw invalidName(action, problem);
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
  checkName(name, action);
  return withNetns(options.netns, () => {
    const link = lookup(name, action);
    if (link === undefined) return false;
    attachToDelete(name, link, options, action).close();
    return true;
  });
}

/** Devices attached for deletion, waiting for their batch. */
interface Held {
  tun: TunFd;
  index: number;
  group: number;
  multiQueue: boolean;
}

/** Devices per kernel batch; descriptors stay open until their batch is done. */
const BATCH = 4096;

/**
 * Removes held devices in one kernel batch: into an interface group no
 * link uses, then one `RTM_DELLINK` for the group (one RCU grace period for
 * all, where deleting them one by one waits for one each). A multi-queue
 * device that another process attached to meanwhile is left to its holders,
 * as `ip tuntap del` leaves it. If the kernel refuses the group operations
 * (no CAP_NET_ADMIN: a device's owner deletes it), the groups are restored
 * and closing the descriptors deletes the devices one by one.
 */
function removeHeld(held: Held[], usedGroups: Set<number>, action: string): void {
  if (held.length === 0) return;
  try {
    using rtnl = Rtnl.open();
    if (held.some((h) => h.multiQueue)) {
      const queues = new Map(
        rtnl.dump(
          (seq) => encodeLinkDump({ seq, kind: "tun", extMask: RTEXT_FILTER_SKIP_STATS }),
          RTM_GETLINK,
          decodeLinkIfAny,
          action,
        ).map((l) => [l.index, (l.tun?.numQueues ?? 0) + (l.tun?.numDisabledQueues ?? 0)]),
      );
      for (let i = held.length - 1; i >= 0; i--) {
        const h = held[i] as Held;
        if (h.multiQueue && (queues.get(h.index) ?? 1) > 1) {
          h.tun.close(); // others hold queues: unpersisted, it goes with them
          held.splice(i, 1);
        }
      }
    }
    if (held.length < 2) return; // one device: closing it costs the same
    let group: number;
    do group = 1 + Math.floor(Math.random() * 0xfffffffd); while (usedGroups.has(group));
    usedGroups.add(group);
    const grouped: Held[] = [];
    try {
      const acks = rtnl.requestAll(
        held,
        (w, seq, h) => writeLinkChange(w, seq, { index: h.index, group }),
        action,
      );
      held.forEach((h, i) => {
        if (acks[i]?.errno === 0) grouped.push(h);
      });
      if (grouped.length !== held.length) return;
      const seq = rtnl.seq();
      rtnl.request(
        writeLinkDelete(new NetlinkWriter(40), seq, { group }).bytes(),
        seq,
        RTM_DELLINK,
        action,
      );
      grouped.length = 0; // deleted: nothing to restore
    } finally {
      // Put back what was moved; the descriptors then delete one by one.
      rtnl.requestAll(
        grouped,
        (w, seq, h) => writeLinkChange(w, seq, { index: h.index, group: h.group }),
        action,
      );
    }
  } catch (error) {
    if (!(error instanceof TunTapError)) throw error;
    // The kernel refused the batch: closing the descriptors deletes the devices.
  } finally {
    for (const h of held) h.tun.close();
    held.length = 0;
  }
}

function asRequest(request: string | DeleteRequest): DeleteRequest {
  return typeof request === "string" ? { name: request } : request;
}

/**
 * The `requireAll` check: every request names an existing TUN/TAP device
 * that it would attach to, or nothing is deleted.
 */
function checkAll(
  requests: readonly DeleteRequest[],
  byName: ReadonlyMap<string | undefined, LinkMessage>,
) {
  const action = "Cannot delete devices";
  const missing: string[] = [];
  const problems: string[] = [];
  for (const { name, mode, multiQueue } of requests) {
    if (mode !== undefined) checkMode(mode, action);
    const problem = nameProblem(name, false);
    const link = byName.get(name);
    const device = link && toDevice(link);
    if (problem !== undefined) problems.push(`"${name}": ${problem}`);
    else if (link === undefined) missing.push(`"${name}"`);
    else if (device === undefined) {
      problems.push(`"${name}" is not a TUN/TAP device (${describeLink(link)})`);
    } else if (
      (mode !== undefined && mode !== device.mode) ||
      (multiQueue !== undefined && multiQueue !== device.multiQueue)
    ) {
      const kind = (m: TunTapMode, mq: boolean) => `${m}${mq ? " multi_queue" : ""}`;
      problems.push(
        `"${name}" is ${kind(device.mode, device.multiQueue)}, not ${
          kind(mode ?? device.mode, multiQueue ?? device.multiQueue)
        }`,
      );
    }
  }
  if (missing.length > 0) problems.unshift(`no device ${missing.join(", ")}`);
  if (problems.length === 0) return;
  throw new TunTapError(action, {
    errno: missing.length > 0 ? ENODEV : EINVAL,
    syscall: "RTM_GETLINK",
    detail: `${action}: ${problems.join("; ")}`,
    hint: "nothing was deleted",
  });
}

/**
 * Deletes many TUN/TAP devices, each as {@linkcode deleteTunTap} would
 * (same checks, same errors, the same fate for held devices), but removes
 * the idle ones in one kernel batch: deleting 1000 devices one by one waits
 * for 1000 RCU grace periods (about 16 s), in a batch for one. Links that
 * were not asked for are never touched.
 *
 * @example Usage
 * ```ts ignore
 * import { deleteTunTaps } from "@netdev/tuntap";
 *
 * for (const { name, error } of deleteTunTaps(["tap0", "tap1", { name: "tun0", mode: "tun" }])) {
 *   if (error) console.error(name, error.message);
 * }
 * ```
 *
 * @example Nothing to delete
 * ```ts
 * import { deleteTunTaps } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(deleteTunTaps([]), []);
 * ```
 *
 * @param requests The devices, by name or with their expected mode.
 * @param options Stop at the first failure, check all first, and namespace.
 * @returns One outcome per request, in order (fewer when stopped early).
 * @throws {TunTapError} With `requireAll`, when a request would fail its check.
 */
export function deleteTunTaps(
  requests: readonly (string | DeleteRequest)[],
  options: DeleteTunTapsOptions = {},
): DeleteOutcome[] {
  if (requests.length === 0) return [];
  return withNetns(options.netns, () => {
    const outcomes: DeleteOutcome[] = [];
    const links = (() => {
      using rtnl = Rtnl.open();
      return rtnl.dump(
        (seq) => encodeLinkDump({ seq, extMask: RTEXT_FILTER_SKIP_STATS }),
        RTM_GETLINK,
        decodeLinkIfAny,
        "Cannot delete devices",
      );
    })();
    const byName = new Map(links.map((l) => [l.name, l]));
    if (options.requireAll) checkAll(requests.map(asRequest), byName);
    const usedGroups = new Set(links.map((l) => l.group ?? 0));
    const held: Held[] = [];
    try {
      for (const request of requests) {
        const { name, mode, multiQueue } = asRequest(request);
        const action = `Cannot delete device "${name}"`;
        try {
          if (mode !== undefined) checkMode(mode, action);
          checkName(name, action);
          const link = byName.get(name);
          if (link === undefined) {
            outcomes.push({ name, deleted: false });
            continue;
          }
          byName.delete(name); // a second request for it finds it gone, as ip would
          let tun: TunFd;
          try {
            tun = attachToDelete(name, link, { mode, multiQueue }, action);
          } catch (error) {
            if (!(error instanceof TunTapError) || error.errno !== EMFILE || held.length === 0) {
              throw error;
            }
            removeHeld(held, usedGroups, action); // out of descriptors: flush, then again
            tun = attachToDelete(name, link, { mode, multiQueue }, action);
          }
          held.push({
            tun,
            index: link.index,
            group: link.group ?? 0,
            multiQueue: multiQueue ?? link.tun?.multiQueue ?? false,
          });
          if (held.length >= BATCH) removeHeld(held, usedGroups, action);
          outcomes.push({ name, deleted: true });
        } catch (error) {
          if (!(error instanceof TunTapError)) throw error;
          outcomes.push({ name, deleted: false, error });
          if (options.stopOnError) break;
        }
      }
      removeHeld(held, usedGroups, "Cannot delete devices");
    } finally {
      for (const h of held) h.tun.close();
    }
    return outcomes;
  });
}
