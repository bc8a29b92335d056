/**
 * Creating persistent TUN/TAP devices.
 *
 * @module
 */

import { type HintSubject, operate, word, worded } from "../_boundary.ts";
import { ENODEV } from "../_errno.ts";
import { HINTS } from "../_hints.ts";
import { testHooks } from "../_hooks.ts";
import { TunTapError } from "../errors.ts";
import type { NetnsOptions } from "../netns/netns.ts";
import { SyscallError } from "../transport/_syscall.ts";
import { Rtnl } from "../transport/_rtnl.ts";
import {
  IFF_MULTI_QUEUE,
  IFF_NO_PI,
  IFF_ONE_QUEUE,
  IFF_TUN_EXCL,
  IFF_VNET_HDR,
  MODE_FLAGS,
  TunFd,
} from "./_tunfd.ts";
import { masterNames, toDevice } from "./_device.ts";
import { checkMode, checkName, checkNameType } from "./_checks.ts";
import { resolveGroup, resolveUser } from "./_ids.ts";
import type { TunTapDevice, TunTapMode } from "./types.ts";

/** Options of {@linkcode createTunTap}. */
export interface CreateTunTapOptions extends NetnsOptions {
  /**
   * The name: at most 15 bytes, or a template with one `%d` that the kernel
   * fills with the lowest free number. Absent or empty: `tun%d` / `tap%d`.
   */
  name?: string;
  /** tun or tap. */
  mode: TunTapMode;
  /**
   * Owner: a uid (0 to 4294967294; -1 for none) or a string: a decimal
   * number read as iproute2 reads it (`strtol`, truncated to 32 bits), or
   * else a user name looked up through NSS.
   */
  owner?: number | string;
  /** Group: a gid or a group name, with the same rules as `owner`. */
  group?: number | string;
  /** Prefix each packet with a packet information header. */
  pi?: boolean;
  /** Prefix each packet with a virtio-net header. */
  vnetHdr?: boolean;
  /** Multi-queue device. */
  multiQueue?: boolean;
  /** The obsolete `IFF_ONE_QUEUE` flag (stored, without effect). */
  oneQueue?: boolean;
}

/** A checked creation request: what to ask the kernel, and how to word its failures. */
interface Plan {
  requested: string;
  action: string;
  flags: number;
  uid: number | undefined;
  gid: number | undefined;
  subject: HintSubject;
}

function actionOf(options: CreateRequest): string {
  const requested = options.name ?? "";
  return requested === ""
    ? `Cannot create ${String(options.mode)} device`
    : `Cannot create device "${requested}"`;
}

/** Checks a request; throws `TypeError`, `RangeError` or a worded `TunTapError`. */
function prepare(options: CreateRequest): Plan {
  const action = actionOf(options);
  const requested = options.name ?? "";
  checkNameType(requested, action);
  const mode = checkMode(options.mode, action);
  const subject: HintSubject = { name: requested };
  return worded(action, HINTS.create, subject, () => {
    if (requested !== "") checkName(requested, true);
    const uid = options.owner === undefined ? undefined : resolveUser(options.owner);
    const gid = options.group === undefined ? undefined : resolveGroup(options.group);
    subject.owner = uid;
    subject.group = gid;
    const flags = MODE_FLAGS[mode] | IFF_TUN_EXCL |
      (options.pi ? 0 : IFF_NO_PI) |
      (options.oneQueue ? IFF_ONE_QUEUE : 0) |
      (options.vnetHdr ? IFF_VNET_HDR : 0) |
      (options.multiQueue ? IFF_MULTI_QUEUE : 0);
    return { requested, action, flags, uid, gid, subject };
  });
}

/** A device just made: its name, and its index when it was learned. */
interface Made {
  name: string;
  /** Learned while the creating descriptor was still open; -1 if the device was gone by then. */
  index?: number | undefined;
}

/**
 * Creates the device in the current namespace. With `rtnl`, its interface
 * index is read while the creating descriptor still holds it (and checked
 * against the name the descriptor reports), so that reading it back later
 * finds this device and no other that took its name.
 *
 * Atomic: owner and group are set before the device is made persistent, so
 * when any step fails the kernel destroys the half-made device as the
 * descriptor closes.
 */
function make({ requested, flags, uid, gid }: Plan, rtnl?: Rtnl): Made {
  using tun = TunFd.open();
  const name = tun.setIff(requested, flags);
  if (uid !== undefined) tun.setId("owner", uid);
  if (gid !== undefined) tun.setId("group", gid);
  tun.setPersist(true);
  if (rtnl === undefined) return { name };
  const link = rtnl.getLink({ name });
  const mine = link !== undefined && tun.attachedName() === name;
  return { name, index: mine ? link.index : -1 };
}

function vanished(name: string): SyscallError {
  return new SyscallError(ENODEV, "RTM_GETLINK", {
    explanation:
      `${name} vanished right after it was created: another process deleted or renamed it`,
  });
}

/**
 * The devices just made, read by the index each was made with: a device
 * deleted or renamed meanwhile is reported, never replaced by another that
 * took its name or its index.
 */
function readBack(rtnl: Rtnl, made: readonly Made[]): (TunTapDevice | SyscallError)[] {
  const known = (m: Made) => m.index !== undefined && m.index > 0;
  const links = rtnl.getLinks(made.map((m) => ({ index: known(m) ? m.index as number : 0 })));
  return made.map((m, i) => {
    const link = known(m) ? links[i] : undefined;
    const device = link && link.name === m.name
      ? toDevice(link, masterNames(rtnl, [link]))
      : undefined;
    return device ?? vanished(m.name);
  });
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
 * The returned device is read back, by the interface index learned while
 * the creating descriptor held it, after that descriptor closes; if the
 * device was deleted or renamed meanwhile, that is an error (ENODEV), never
 * another device's description. If another thread of this process forks at
 * that instant, the child holds a copy of the descriptor until it calls
 * `exec`, and the snapshot can still show the queue attached.
 *
 * @example Usage
 * ```ts ignore
 * import { createTunTap, deleteTunTap } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * const tap = createTunTap({ name: "vm%d", mode: "tap", owner: "nobody", vnetHdr: true });
 * console.log(tap.name, tap.mac); // vm0 2a:…
 * assert.equal(tap.name, "vm0");
 * assert.equal(tap.owner, 65534);
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
 * assert.throws(() => createTunTap({ name: "x", mode: "tun", owner: 2 ** 32 }), RangeError);
 * ```
 *
 * @param options Name, mode, owner, group, flags and namespace.
 * @returns The device, with the name the kernel gave it (`%d` filled in).
 * @throws {TypeError} When the mode is not "tun" or "tap", or the name is
 *   not a string that stands for exact bytes without NUL.
 * @throws {RangeError} When the owner or group is a number out of range.
 * @throws {TunTapError} When the name is invalid, the user or group
 *   unknown, or the kernel refuses (EBUSY: the name exists; EPERM: no
 *   CAP_NET_ADMIN).
 */
export function createTunTap(options: CreateTunTapOptions): TunTapDevice {
  const plan = prepare(options);
  return operate(plan.action, HINTS.create, plan.subject, options.netns, () => {
    using rtnl = Rtnl.open();
    const made = make(plan, rtnl);
    testHooks.beforeReadBack?.(made.name);
    const [device] = readBack(rtnl, [made]);
    if (device instanceof SyscallError) throw device;
    return device as TunTapDevice;
  });
}

/** One device for {@linkcode createTunTaps}: the options of {@linkcode createTunTap} but the namespace. */
export type CreateRequest = Omit<CreateTunTapOptions, "netns">;

/** What became of one request of {@linkcode createTunTaps}. */
export interface CreateOutcome {
  /** The device's name as the kernel gave it (`%d` filled in), or as requested when it failed. */
  name: string;
  /** The device, read back after creation (unless `readBack` was `false`). */
  device?: TunTapDevice;
  /** Why it could not be created. */
  error?: TunTapError;
}

/** Options of {@linkcode createTunTaps}. */
export interface CreateTunTapsOptions extends NetnsOptions {
  /**
   * Stop at the first request that fails, leaving the later ones undone
   * (as a batch without `-force` does). Their outcomes are then missing.
   */
  stopOnError?: boolean;
  /**
   * Read the devices back after creating them (by the index each was made
   * with), into each outcome's `device`. Default `true`; `false` saves the
   * requests when the names are enough.
   */
  readBack?: boolean;
}

/**
 * Creates many persistent TUN/TAP devices, each as {@linkcode createTunTap}
 * would (same checks, same errors), entering the namespace once and reading
 * all of them back with a few batched requests.
 *
 * @example Usage
 * ```ts ignore
 * import { createTunTaps } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * const requests = Array.from({ length: 8 }, () => ({ name: "vm%d", mode: "tap" as const }));
 * const outcomes = createTunTaps(requests, { netns: "lab" });
 * for (const { name, device, error } of outcomes) {
 *   console.log(name, device?.mac ?? error?.message);
 * }
 * assert.deepEqual(outcomes.map((o) => o.name), ["vm0", "vm1", "vm2", "vm3", "vm4", "vm5", "vm6", "vm7"]);
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
 * @throws {TypeError} When a request's mode or name is not one.
 * @throws {RangeError} When a request's owner or group is a number out of range.
 * @throws {TunTapError} When the namespace cannot be entered or the
 *   netlink socket opened (a request's own failure is in its outcome).
 */
export function createTunTaps(
  requests: readonly CreateRequest[],
  options: CreateTunTapsOptions = {},
): CreateOutcome[] {
  if (requests.length === 0) return [];
  for (const request of requests) {
    const action = actionOf(request);
    checkNameType(request.name ?? "", action);
    checkMode(request.mode, action);
  }
  return operate("Cannot create devices", HINTS.create, {}, options.netns, () => {
    using rtnl = options.readBack === false ? undefined : Rtnl.open();
    const made: { outcome: CreateOutcome; made: Made; plan: Plan }[] = [];
    const outcomes: CreateOutcome[] = [];
    for (const request of requests) {
      const outcome: CreateOutcome = { name: request.name ?? "" };
      outcomes.push(outcome);
      try {
        const plan = prepare(request);
        try {
          const one = make(plan, rtnl);
          outcome.name = one.name;
          made.push({ outcome, made: one, plan });
        } catch (error) {
          throw word(plan.action, HINTS.create, plan.subject, error);
        }
      } catch (error) {
        if (!(error instanceof TunTapError)) throw error;
        outcome.error = error;
        if (options.stopOnError) break;
      }
    }
    if (rtnl === undefined || made.length === 0) return outcomes;
    const devices = readBack(rtnl, made.map((m) => m.made));
    made.forEach(({ outcome, plan }, i) => {
      const device = devices[i];
      if (device instanceof SyscallError) {
        outcome.error = word(plan.action, HINTS.create, plan.subject, device) as TunTapError;
      } else if (device !== undefined) outcome.device = device;
    });
    return outcomes;
  });
}
