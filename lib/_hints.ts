/**
 * The one table of hints: what a user can do about a failure, by the
 * operation that failed, the call that failed in it, and the errno. Where a
 * hint depends on the state of the system (who holds a device, what a name
 * is), it is a function that looks, after the failure; a failure to look
 * never hides the error itself. The operations that have hints pass their
 * part to the boundary (`lib/_boundary.ts`); those that have none (listing)
 * do not load this module. `doctor` reads the same table.
 *
 * @module
 */

import type { Hint, Hints, HintSubject } from "./_boundary.ts";
import { EACCES, EBUSY, EEXIST, EINVAL, ENFILE, ENODEV, ENOENT, EPERM } from "./_errno.ts";
import {
  describeFlags,
  describeHolders,
  describeLink,
  lookupLink,
  toDevice,
} from "./device/_device.ts";
import { attachedProcesses } from "./device/processes.ts";
import { TUN_PATH } from "./device/_tunfd.ts";
import { IFF_UP } from "./netlink/_constants.ts";

type ByErrno = Readonly<Record<number, Hint>>;

/** Runs a look-around; a failure to explain must never hide the error itself. */
function explain(compute: () => string | undefined): string | undefined {
  try {
    return compute();
  } catch {
    return undefined;
  }
}

/**
 * The holders of a device, as text for hints (`comm(pid), …`), or
 * `undefined` when no process holds it.
 *
 * @param name The device.
 * @returns The text.
 */
export function holdersOf(name: string): string | undefined {
  const holders = attachedProcesses([name]).get(name) ?? [];
  return holders.length > 0 ? describeHolders(holders) : undefined;
}

const OPEN_TUN: ByErrno = {
  [ENOENT]:
    `${TUN_PATH} does not exist: load the module (modprobe tun) or create the node (mknod ${TUN_PATH} c 10 200)`,
  [ENODEV]: "the tun driver is not available: load it with modprobe tun",
  [EACCES]:
    `${TUN_PATH} is not readable and writable by this user: run as root, or make the node accessible (chmod 0666 ${TUN_PATH})`,
};

/** Creating a device needs CAP_NET_ADMIN where the namespace belongs. */
const CREATE_EPERM_HINT =
  "creating a TUN/TAP device needs CAP_NET_ADMIN in the user namespace that owns the network namespace: run as root";

function createBusy({ name }: HintSubject): string | undefined {
  if (name === undefined || name === "") return undefined;
  return explain(() => {
    const link = lookupLink(name);
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

function deleteMismatch({ name }: HintSubject): string | undefined {
  if (name === undefined) return undefined;
  return explain(() => {
    const link = lookupLink(name);
    if (link === undefined) return undefined;
    const device = toDevice(link);
    return device === undefined
      ? `${name} is not a TUN/TAP device (${describeLink(link)})`
      : `${name} is a ${
        describeFlags(device)
      } device: the mode and the multi_queue flag must match it`;
  });
}

/**
 * The hint for a device that cannot be deleted because a queue is attached.
 *
 * @param name The device.
 * @param holders Who holds it, as {@linkcode holdersOf} says, if anyone.
 * @returns The hint.
 */
export function busyHint(name: string, holders: string | undefined): string {
  return holders
    ? `${name} is in use by ${holders}: stop the holder first, or remove the link anyway with "ip link del ${name}"`
    : `${name} has a queue attached, and no process holding it was found (one in another namespace, or out of reach of this user): remove the link anyway with "ip link del ${name}"`;
}

function deleteBusy({ name }: HintSubject): string | undefined {
  if (name === undefined) return undefined;
  return busyHint(name, explain(() => holdersOf(name)));
}

/** EPERM on a device: who may act on it, when it has an owner or group. */
function permission(what: string, otherwise: string): (subject: HintSubject) => string | undefined {
  return ({ name }) => {
    if (name === undefined) return undefined;
    return explain(() => {
      const link = lookupLink(name);
      const device = link && toDevice(link);
      if (device === undefined) return undefined;
      const ids = [
        device.owner === undefined ? undefined : `uid ${device.owner}`,
        device.group === undefined ? undefined : `gid ${device.group}`,
      ].filter((x) => x !== undefined);
      return ids.length > 0
        ? `${name} belongs to ${ids.join(" and ")}: only they or CAP_NET_ADMIN may ${what}`
        : otherwise;
    });
  };
}

const deletePerm = permission("delete it", "deleting this device needs CAP_NET_ADMIN");
const attachPerm = permission(
  "open its queues",
  'opening the queue of a device without owner or group needs CAP_NET_ADMIN (set one with "tuntap add … user USER")',
);

function attachBusy({ name }: HintSubject): string | undefined {
  if (name === undefined) return undefined;
  const holders = explain(() => holdersOf(name));
  return `${name} is a single-queue device whose queue is open${
    holders ? ` in ${holders}` : ""
  }: one queue at a time (make it multi_queue to share it)`;
}

function renameBusy({ name, newName }: HintSubject): string | undefined {
  if (name === undefined || newName === undefined) return undefined;
  return explain(() =>
    ((lookupLink(name)?.flags ?? 0) & IFF_UP) !== 0
      ? `${name} is up: bring it down before renaming it`
      : undefined
  );
}

/** The operations that have hints, and their hints. */
export const HINTS: Readonly<Record<"create" | "delete" | "setLink" | "attach", Hints>> = {
  create: {
    open: OPEN_TUN,
    "ioctl(TUNSETIFF)": {
      [EPERM]: CREATE_EPERM_HINT,
      [ENFILE]: ({ name }) => `no free number is left for the template "${name}"`,
      [EBUSY]: createBusy,
    },
    "ioctl(TUNSETOWNER)": {
      [EINVAL]: ({ owner }) => `uid ${owner} must be mapped in this user namespace`,
    },
    "ioctl(TUNSETGROUP)": {
      [EINVAL]: ({ group }) => `gid ${group} must be mapped in this user namespace`,
    },
  },
  delete: {
    open: OPEN_TUN,
    "ioctl(TUNSETIFF)": { [EINVAL]: deleteMismatch, [EBUSY]: deleteBusy, [EPERM]: deletePerm },
  },
  attach: {
    open: OPEN_TUN,
    "ioctl(TUNSETIFF)": { [EINVAL]: deleteMismatch, [EBUSY]: attachBusy, [EPERM]: attachPerm },
  },
  setLink: {
    RTM_SETLINK: {
      [EBUSY]: renameBusy,
      [EEXIST]: ({ newName }) =>
        newName === undefined ? undefined : `a device named ${newName} already exists`,
    },
  },
};

/**
 * What `doctor` finds that no failed call's errno names (a failed call's
 * hint is the operation's own, in {@linkcode HINTS}).
 */
export const DOCTOR_HINTS: Readonly<
  Record<
    | "node"
    | "driver"
    | "features"
    | "netlink"
    | "proc"
    | "foreignNetns"
    | "ownNamespaces"
    | "usernsMissing"
    | "usernsMax"
    | "usernsClone"
    | "usernsAppArmor",
    string
  >
> = {
  node:
    `${TUN_PATH} is not the tun clone device: remove it and create the node (mknod ${TUN_PATH} c 10 200)`,
  driver:
    "no tun driver is loaded, built in or installed: install this kernel's modules and load it (modprobe tun), or use a kernel built with CONFIG_TUN",
  features:
    `the driver behind ${TUN_PATH} does not answer TUNGETFEATURES as the tun driver does: check that the node is 10:200 and the kernel is 2.6.27 or later`,
  netlink:
    "rtnetlink reports IFLA_TUN_* (flags, owner, group) since Linux 4.17: before, show and info cannot tell them; upgrade the kernel",
  proc: "procfs is not mounted on /proc: mount it (mount -t proc proc /proc)",
  foreignNetns:
    "this network namespace belongs to a user namespace above this process's, where its capabilities do not count: run as root there, or in namespaces of your own (unshare --user --map-root-user --net)",
  ownNamespaces:
    "without root, devices can be made in namespaces of your own: unshare --user --map-root-user --net",
  usernsMissing:
    "this kernel has no user namespaces (CONFIG_USER_NS), so only root can create devices: run as root",
  usernsMax:
    "user namespaces are disabled (user.max_user_namespaces is 0): allow them with sysctl -w user.max_user_namespaces=10000",
  usernsClone:
    "unprivileged user namespaces are disabled: allow them with sysctl -w kernel.unprivileged_userns_clone=1",
  usernsAppArmor:
    "AppArmor restricts unprivileged user namespaces: allow them with sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or give the program an AppArmor profile that permits userns",
};
