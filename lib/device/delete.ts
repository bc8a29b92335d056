/**
 * Deleting persistent TUN/TAP devices: one at a time as `ip tuntap del`
 * does, or many in one kernel batch.
 *
 * @module
 */

import { operate, word, worded } from "../_boundary.ts";
import { EBUSY, EINVAL, EMFILE, errnoName, ESTALE } from "../_errno.ts";
import { busyHint, HINTS, holdersOf } from "../_hints.ts";
import { type GroupMove, testHooks } from "../_hooks.ts";
import { TunTapError } from "../errors.ts";
import {
  RTEXT_FILTER_SKIP_STATS,
  RTM_DELLINK,
  RTM_GETLINK,
  RTNLGRP_LINK,
} from "../netlink/_constants.ts";
import {
  decodeLinkIfAny,
  encodeLinkDump,
  type LinkMessage,
  writeLinkChange,
  writeLinkDelete,
} from "../netlink/_link.ts";
import type { NetlinkMessage } from "../netlink/_reader.ts";
import { NetlinkWriter } from "../netlink/_writer.ts";
import { currentNetnsInode, netnsInode } from "../netns/_identity.ts";
import type { NetnsOptions } from "../netns/netns.ts";
import { sleepMs, SyscallError } from "../transport/_syscall.ts";
import { Rtnl } from "../transport/_rtnl.ts";
import { IFF_MULTI_QUEUE, IFF_NO_PI, MODE_FLAGS, TunFd } from "./_tunfd.ts";
import { describeLink, lookupLink, toDevice } from "./_device.ts";
import { checkMode, checkName, checkNameType, nameProblem } from "./_checks.ts";
import type { TunTapMode } from "./types.ts";

/** Options of {@linkcode deleteTunTap}. */
export interface DeleteTunTapOptions extends NetnsOptions {
  /**
   * Expected mode. When given, a device of the other mode is not deleted
   * (EINVAL), as with `ip tuntap del`. When absent, the device's own mode is
   * used.
   */
  mode?: TunTapMode;
  /**
   * Expected multi-queue flag; a mismatch is EINVAL. When absent, the
   * device's own flag is used.
   */
  multiQueue?: boolean;
}

/** One device for {@linkcode deleteTunTaps}, with what is expected of it. */
export interface DeleteRequest {
  /** The device. */
  name: string;
  /** Expected mode, as for {@linkcode deleteTunTap}; the device's own when absent. */
  mode?: TunTapMode;
  /** Expected multi-queue flag, as for {@linkcode deleteTunTap}; the device's own when absent. */
  multiQueue?: boolean;
}

/** What became of one request of {@linkcode deleteTunTaps}. */
export interface DeleteOutcome {
  /** The device. */
  name: string;
  /** `true` if it existed and is gone (or goes with its last holder), `false` otherwise. */
  deleted: boolean;
  /**
   * `true` if it existed, and another process deleted it while this one
   * worked (so `deleted` is `false`, and the device is gone all the same).
   */
  vanished?: boolean;
  /** Why it could not be deleted. */
  error?: TunTapError;
}

/** Options of {@linkcode deleteTunTaps}. */
export interface DeleteTunTapsOptions extends NetnsOptions {
  /**
   * Stop at the first request that fails, leaving the later ones untouched
   * (as a batch without `-force` does). Their outcomes are then missing.
   */
  stopOnError?: boolean;
  /**
   * Check every request before deleting any: if a name is invalid, or names
   * a link that is not a TUN/TAP device of the expected mode and multi-queue
   * flag, throw and delete nothing. Names of no device pass the check (their
   * outcome says `deleted: false`), so that running the same list again
   * after an interruption finishes the job.
   */
  checkFirst?: boolean;
  /**
   * Told what did not go the fast or the exact way: the kernel refused the
   * batch and devices are deleted one by one, or the kernel dropped link
   * notifications while strays were moved back.
   */
  onWarning?: (message: string) => void;
}

/**
 * Pauses before each new attempt to attach to a device that is busy with no
 * process holding it (a `/proc/PID/fdinfo` reader keeps a closing
 * descriptor alive for a moment): 127 ms in all.
 */
const BUSY_RETRIES_MS = [1, 2, 4, 8, 16, 32, 64];

/**
 * Attaches to a device as `ip tuntap del` does and clears its persistence:
 * closing the returned descriptor then deletes exactly that device (or, for
 * a multi-queue device other processes hold, leaves it to them).
 *
 * A single-queue device that is busy while no process holds it is tried
 * again for a short, bounded time (see {@linkcode BUSY_RETRIES_MS}): a
 * process reading `/proc/PID/fdinfo` keeps a descriptor that was just
 * closed attached for a moment.
 */
function attachToDelete(
  name: string,
  link: LinkMessage,
  expected: { mode?: TunTapMode | undefined; multiQueue?: boolean | undefined },
): TunFd {
  const device = toDevice(link);
  const mode = expected.mode ?? device?.mode;
  if (mode === undefined) {
    throw new SyscallError(EINVAL, "ioctl(TUNSETIFF)", {
      explanation: `${name} is not a TUN/TAP device (${describeLink(link)})`,
    });
  }
  const multiQueue = expected.multiQueue ?? device?.multiQueue ?? false;
  const flags = MODE_FLAGS[mode] | IFF_NO_PI | (multiQueue ? IFF_MULTI_QUEUE : 0);
  let holders: string | undefined | null = null;
  for (let attempt = 0;; attempt++) {
    const tun = TunFd.open();
    try {
      tun.setIff(name, flags);
      tun.setPersist(false);
      return tun;
    } catch (error) {
      tun.close();
      if (!(error instanceof SyscallError) || error.errno !== EBUSY || multiQueue) throw error;
      holders ??= explain(() => holdersOf(name));
      if (holders !== undefined || attempt >= BUSY_RETRIES_MS.length) {
        throw new SyscallError(EBUSY, error.syscall, { explanation: busyHint(name, holders) });
      }
      testHooks.beforeBusyRetry?.(name, attempt);
      sleepMs(BUSY_RETRIES_MS[attempt] as number);
    }
  }
}

/** Runs a look-around for a message; a failure to look is no answer. */
function explain(compute: () => string | undefined): string | undefined {
  try {
    return compute();
  } catch {
    return undefined;
  }
}

/**
 * Deletes a persistent TUN/TAP device the way `ip tuntap del` does: attach
 * to it, clear persistence, detach. Closing the attached descriptor deletes
 * exactly the device it is attached to, whatever happens to names meanwhile.
 *
 * Without `mode` the device's own mode and multi-queue flag are used; with
 * it, a mismatch fails with EINVAL as in iproute2. A single-queue device
 * held open by a process fails with EBUSY (a device that is busy while no
 * process holds it is tried again for about 130 ms: a process reading
 * `/proc/PID/fdinfo` keeps a descriptor that was just closed alive for a
 * moment); a multi-queue device with queues held by others loses
 * persistence and disappears when they close it. A name that does not exist
 * is not an error.
 *
 * @example Usage
 * ```ts ignore
 * import { deleteTunTap } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * assert.equal(deleteTunTap("tap0"), true);
 * if (!deleteTunTap("tap0")) console.log("there was no tap0");
 * ```
 *
 * @example Names the kernel never gives are refused
 * ```ts
 * import { deleteTunTap, TunTapError } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => deleteTunTap("a/b"), TunTapError);
 * assert.throws(() => deleteTunTap("vic\0other"), TypeError);
 * ```
 *
 * @param name The device.
 * @param options Expected mode and multi-queue flag, and namespace.
 * @returns `true` if the device existed, `false` if there was none.
 * @throws {TypeError} When the name holds a NUL byte or is not a string.
 * @throws {TunTapError} When the kernel refuses, or the name is invalid.
 */
export function deleteTunTap(name: string, options: DeleteTunTapOptions = {}): boolean {
  const action = `Cannot delete device "${name}"`;
  checkNameType(name, action);
  if (options.mode !== undefined) checkMode(options.mode, action);
  return worded(action, HINTS.delete, { name }, () => {
    checkName(name, false);
    return operate(action, HINTS.delete, { name }, options.netns, () => {
      const link = lookupLink(name);
      if (link === undefined) return false;
      attachToDelete(name, link, options).close();
      return true;
    });
  });
}

/** A device attached for deletion, waiting for its batch. */
interface Held {
  /** The name it was asked for by. */
  name: string;
  tun: TunFd;
  multiQueue: boolean;
  outcome: DeleteOutcome;
}

/** Devices per kernel batch; descriptors stay open until their batch is done. */
const BATCH = 4096;

/** What a held device turned out to be when its batch ran. */
type Fate = "verified" | "unverified";

function identityError(name: string, problem: string): TunTapError {
  const action = `Cannot delete device "${name}"`;
  return new TunTapError(action, {
    errno: ESTALE,
    syscall: "ioctl(TUNGETIFF)",
    detail: `${action}: ${problem} while it was being deleted`,
    hint: "it was left alone: run the command again to delete what the name is now",
  });
}

/**
 * Settles a held device that the batch did not delete, through its own
 * descriptor, which is attached to exactly that device: gone meanwhile →
 * vanished; renamed or moved to another namespace → persistence restored,
 * left alone, reported; otherwise closing the descriptor deletes it.
 */
function settleAlone(h: Held, netns: number): void {
  const name = h.tun.attachedName();
  if (name === undefined) {
    h.outcome.deleted = false;
    h.outcome.vanished = true;
    return;
  }
  let moved = false;
  if (name === h.name) {
    const inode = deviceNetnsInode(h.tun);
    if (inode === undefined) {
      h.outcome.deleted = false;
      h.outcome.vanished = true;
      return;
    }
    moved = inode !== netns;
    if (!moved) return; // closing the descriptor deletes it
  }
  h.tun.setPersist(true);
  h.outcome.deleted = false;
  h.outcome.error = identityError(
    h.name,
    moved ? "it moved to another network namespace" : `it was renamed to "${name}"`,
  );
}

/**
 * Removes held devices. Idle ones go in one kernel batch: each is moved, by
 * its interface index, into an interface group no link uses, and one
 * `RTM_DELLINK` removes the group (one RCU grace period for all, where
 * deleting them one by one waits for one each).
 *
 * An index is only a number: if a device is deleted by someone else after
 * its index was read and another link takes that index, the move hits that
 * link. So before the group goes, every moved index is read again and
 * checked against the descriptor attached to the device (`TUNGETIFF` for its
 * name, `TUNGETDEVNETNS` for its namespace): a member of the group that is
 * not the device asked for is moved back to the group it had (known from
 * the link notifications the kernel sent meanwhile), and only checked
 * devices are removed with the group. Whatever is not removed that way is
 * settled through its own descriptor ({@linkcode settleAlone}).
 *
 * A multi-queue device that other processes hold is left to them, as
 * `ip tuntap del` leaves it. If the kernel refuses the group operations (no
 * CAP_NET_ADMIN: a device's owner deletes it), the devices are deleted one
 * by one through their descriptors, and `onWarning` says so.
 */
function removeHeld(
  rtnl: Rtnl,
  held: Held[],
  onWarning: ((message: string) => void) | undefined,
): void {
  const netns = currentNetnsInode();
  const fates = new Map<Held, Fate>();
  try {
    if (held.length < 2) return; // one device: closing its descriptor costs the same
    const before = rtnl.getLinks(held.map((h) => ({ name: h.name })));
    const moves: { h: Held; index: number; group: number }[] = [];
    held.forEach((h, i) => {
      const link = before[i];
      if (link === undefined) return; // gone or renamed already: settled alone
      const queues = (link.tun?.numQueues ?? 0) + (link.tun?.numDisabledQueues ?? 0);
      if (h.multiQueue && queues > 1) return; // others hold queues: it goes with them
      moves.push({ h, index: link.index, group: link.group ?? 0 });
    });
    if (moves.length < 2) return;
    // A group no link is in: the group delete removes every member.
    const usedGroups = new Set(dumpLinks(rtnl).map((l) => l.group ?? 0));
    let group: number;
    do group = 1 + Math.floor(Math.random() * 0xfffffffd); while (usedGroups.has(group));

    // Each index's group before the move: from the answers above, then from
    // the kernel's notifications (a link that took an index meanwhile).
    const groupBefore = new Map(moves.map((m) => [m.index, m.group]));
    using listener = Rtnl.open();
    listener.join(RTNLGRP_LINK);
    let complete = true;
    const follow = () => {
      complete = listener.drain((message: NetlinkMessage) => {
        const link = decodeLinkIfAny(message);
        if (link !== undefined && link.group !== undefined && link.group !== group) {
          groupBefore.set(link.index, link.group);
        }
      }) && complete;
    };
    testHooks.beforeGroupMove?.(moves.map(({ h, index }): GroupMove => ({ name: h.name, index })));
    const moved: typeof moves = [];
    try {
      const acks = rtnl.requestAll(
        moves,
        (w, seq, m) => writeLinkChange(w, seq, { index: m.index, group }),
      );
      moves.forEach((m, i) => {
        if (acks[i]?.errno === 0) moved.push(m);
      });
      follow();
      const after = rtnl.getLinks(moved.map((m) => ({ index: m.index })));
      const strays: { index: number; group: number }[] = [];
      moved.forEach((m, i) => {
        const link = after[i];
        if (link === undefined || link.group !== group) return;
        const mine = link.kind === "tun" && link.name === m.h.name &&
          m.h.tun.attachedName() === m.h.name && deviceNetnsInode(m.h.tun) === netns;
        if (mine) fates.set(m.h, "verified");
        else strays.push({ index: m.index, group: groupBefore.get(m.index) ?? 0 });
      });
      follow();
      if (strays.length > 0) {
        rtnl.requestAll(strays, (w, seq, s) => writeLinkChange(w, seq, s));
        if (!complete) {
          onWarning?.(
            `links that took the index of a deleted device were moved back to their groups; the kernel dropped notifications, so a group may be a guess (${
              strays.map((s) => `index ${s.index}: group ${s.group}`).join(", ")
            })`,
          );
        }
      }
      const verified = moved.filter((m) => fates.get(m.h) === "verified");
      if (verified.length === 0) return;
      try {
        const seq = rtnl.seq();
        rtnl.request(
          writeLinkDelete(new NetlinkWriter(40), seq, { group }).bytes(),
          seq,
          RTM_DELLINK,
        );
      } catch (error) {
        if (!(error instanceof SyscallError)) throw error;
        for (const m of verified) fates.set(m.h, "unverified");
        rtnl.requestAll(
          verified,
          (w, seq, m) => writeLinkChange(w, seq, { index: m.index, group: m.group }),
        );
        onWarning?.(
          `deleting ${held.length} devices one by one, which waits for the kernel once per device: it refused the batch (${
            errnoName(error.errno)
          })`,
        );
      }
    } catch (error) {
      if (!(error instanceof SyscallError)) throw error;
      // The group operations failed before the delete: whatever was moved goes
      // back, and each device is settled through its descriptor.
      onWarning?.(
        `deleting ${held.length} devices one by one, which waits for the kernel once per device: ${error.syscall} failed (${
          errnoName(error.errno)
        })`,
      );
      fates.clear();
      const back = moved.length > 0 ? rtnl.getLinks(moved.map((m) => ({ index: m.index }))) : [];
      const restore = moved.flatMap((m, i) =>
        back[i]?.group === group
          ? [{ index: m.index, group: groupBefore.get(m.index) ?? m.group }]
          : []
      );
      rtnl.requestAll(restore, (w, seq, s) => writeLinkChange(w, seq, s));
    }
  } finally {
    for (const h of held) {
      try {
        if (fates.get(h) !== "verified") settleAlone(h, netns);
      } finally {
        h.tun.close();
      }
    }
    held.length = 0;
  }
}

/** The inode of the namespace the device attached to `tun` is in, or `undefined` if it is gone. */
function deviceNetnsInode(tun: TunFd): number | undefined {
  using fd = tun.deviceNetns();
  return fd && netnsInode(fd);
}

function asRequest(request: string | DeleteRequest, action: string): DeleteRequest {
  const value = typeof request === "string" ? { name: request } : request;
  checkNameType(value.name, action);
  if (value.mode !== undefined) checkMode(value.mode, action);
  return value;
}

/**
 * The `checkFirst` check: every name that exists is a TUN/TAP device of the
 * expected mode and multi-queue flag, and every name is valid, or nothing is
 * deleted. Names of no link pass (they are reported as absent).
 */
function checkAll(
  requests: readonly DeleteRequest[],
  byName: ReadonlyMap<string | undefined, LinkMessage>,
): void {
  const action = "Cannot delete devices";
  const problems: string[] = [];
  for (const { name, mode, multiQueue } of requests) {
    const problem = nameProblem(name, false);
    const link = byName.get(name);
    const device = link && toDevice(link);
    if (problem !== undefined) problems.push(`"${name}": ${problem}`);
    else if (link === undefined) continue;
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
  if (problems.length === 0) return;
  throw new TunTapError(action, {
    errno: EINVAL,
    syscall: "RTM_GETLINK",
    detail: `${action}: ${problems.join("; ")}`,
    hint: "nothing was deleted",
  });
}

/** Up to this many names are looked up one by one; more, with a dump. */
const LOOKUPS = 16;

/**
 * The links of the named devices: for a few names, a request each; for
 * more, one dump (which the kernel may interrupt while links change: then
 * what it read is kept), and a request for each name the dump did not have,
 * so that no device is taken for absent by mistake.
 */
function findLinks(rtnl: Rtnl, names: readonly string[]): Map<string | undefined, LinkMessage> {
  const valid = [...new Set(names)].filter((n) => nameProblem(n, false) === undefined);
  const byName = new Map<string | undefined, LinkMessage>();
  if (valid.length > LOOKUPS) {
    for (const link of dumpLinks(rtnl)) byName.set(link.name, link);
  }
  const unseen = valid.filter((n) => !byName.has(n));
  rtnl.getLinks(unseen.map((name) => ({ name }))).forEach((link) => {
    if (link !== undefined) byName.set(link.name, link);
  });
  return byName;
}

/** Every link, as far as a dump the kernel may interrupt can tell. */
function dumpLinks(rtnl: Rtnl): LinkMessage[] {
  return rtnl.dump(
    (seq) => encodeLinkDump({ seq, extMask: RTEXT_FILTER_SKIP_STATS }),
    RTM_GETLINK,
    decodeLinkIfAny,
    () => {},
  );
}

/**
 * Deletes many TUN/TAP devices, each as {@linkcode deleteTunTap} would
 * (same checks, same errors, the same fate for held devices), but removes
 * the idle ones in one kernel batch: deleting 1000 devices one by one waits
 * for 1000 RCU grace periods (about 16 s), in a batch for one.
 *
 * Links that were not asked for are never deleted, even when names and
 * interface indexes are reused while it runs: the batch is checked against
 * the descriptors attached to the devices before anything goes (see the
 * README's "Bulk delete"). A device that another process deletes meanwhile
 * is reported as `vanished`; one that is renamed or moved to another
 * namespace meanwhile is left alone and reported as an error.
 *
 * @example Usage
 * ```ts ignore
 * import { deleteTunTaps } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * const outcomes = deleteTunTaps(["tap0", "tap1", { name: "tun0", mode: "tap" }]);
 * for (const { name, error } of outcomes) {
 *   if (error) console.error(name, error.message); // tun0 is not a tap: left alone
 * }
 * assert.deepEqual(outcomes.map((o) => o.deleted), [true, true, false]);
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
 * @throws {TypeError} When a name holds a NUL byte or a mode is not one.
 * @throws {TunTapError} With `checkFirst`, when a request would fail its
 *   check; when the netlink socket cannot be opened.
 */
export function deleteTunTaps(
  requests: readonly (string | DeleteRequest)[],
  options: DeleteTunTapsOptions = {},
): DeleteOutcome[] {
  if (requests.length === 0) return [];
  const all = "Cannot delete devices";
  const wanted = requests.map((r) => asRequest(r, all));
  return operate(all, HINTS.delete, {}, options.netns, () => {
    const outcomes: DeleteOutcome[] = [];
    using rtnl = Rtnl.open();
    const byName = findLinks(rtnl, wanted.map((r) => r.name));
    if (options.checkFirst) checkAll(wanted, byName);
    const held: Held[] = [];
    const flush = () => removeHeld(rtnl, held, options.onWarning);
    try {
      for (const { name, mode, multiQueue } of wanted) {
        try {
          checkName(name, false);
          const link = byName.get(name);
          if (link === undefined) {
            outcomes.push({ name, deleted: false });
            continue;
          }
          byName.delete(name); // a second request for it finds it gone, as ip would
          let tun: TunFd;
          try {
            tun = attachToDelete(name, link, { mode, multiQueue });
          } catch (error) {
            if (!(error instanceof SyscallError) || error.errno !== EMFILE || held.length === 0) {
              throw error;
            }
            flush(); // out of descriptors: flush, then again
            tun = attachToDelete(name, link, { mode, multiQueue });
          }
          const outcome: DeleteOutcome = { name, deleted: true };
          held.push({
            name,
            tun,
            multiQueue: multiQueue ?? link.tun?.multiQueue ?? false,
            outcome,
          });
          outcomes.push(outcome);
          if (held.length >= BATCH) flush();
        } catch (error) {
          const failure = word(`Cannot delete device "${name}"`, HINTS.delete, { name }, error);
          if (!(failure instanceof TunTapError)) throw failure;
          outcomes.push({ name, deleted: false, error: failure });
          if (options.stopOnError) break;
        }
      }
      flush();
    } finally {
      for (const h of held) h.tun.close();
    }
    return outcomes;
  });
}
