/**
 * Types of TUN/TAP devices and of the options of the operations on them.
 *
 * @module
 */

import type { TunTapError } from "./errors.ts";

/** `"tun"`: layer 3, IP packets. `"tap"`: layer 2, Ethernet frames. */
export type TunTapMode = "tun" | "tap";

/** RFC 2863 operational state, as the kernel reports it. */
export type OperState =
  | "unknown"
  | "notpresent"
  | "down"
  | "lowerlayerdown"
  | "testing"
  | "dormant"
  | "up";

/**
 * A TUN/TAP device, as the kernel reports it over rtnetlink.
 *
 * `pi` and `vnetHdr` are the flags of the last attach: every single-queue
 * attach replaces them with the attacher's. The kernel does not report
 * `one_queue` (a flag without effect) or the NAPI flags over rtnetlink, so
 * they are absent here.
 */
export interface TunTapDevice {
  /** Interface name. */
  name: string;
  /** Interface index. */
  index: number;
  /** tun or tap. */
  mode: TunTapMode;
  /** A 4-byte packet information header precedes each packet. */
  pi: boolean;
  /** A virtio-net header precedes each packet. */
  vnetHdr: boolean;
  /** Multi-queue device. */
  multiQueue: boolean;
  /** The device survives the close of its last queue. */
  persist: boolean;
  /** Owner uid; absent when no owner is set. */
  owner?: number;
  /** Group gid; absent when no group is set. */
  group?: number;
  /** Attached queues; reported by the kernel for multi-queue devices only. */
  queues?: number;
  /** Disabled queues; reported by the kernel for multi-queue devices only. */
  disabledQueues?: number;
  /** MTU in bytes. */
  mtu: number;
  /** Smallest MTU the device accepts. */
  minMtu?: number;
  /** Largest MTU the device accepts. */
  maxMtu?: number;
  /** Transmit queue length in packets. */
  txQueueLen: number;
  /** Administratively up (`IFF_UP`). */
  up: boolean;
  /** Operational state. */
  operstate: OperState;
  /** Carrier present: a queue is attached and the carrier was not switched off. */
  carrier: boolean;
  /** MAC address of a tap device, as `aa:bb:cc:dd:ee:ff`. */
  address?: string;
  /** Index of the master device (a bridge, a bond), if any. */
  master?: number;
}

/** Options of {@linkcode createTunTap}. */
export interface CreateTunTapOptions {
  /**
   * The name: at most 15 bytes, or a template with one `%d` that the kernel
   * fills with the lowest free number. Absent or empty: `tun%d` / `tap%d`.
   */
  name?: string;
  /** tun or tap. */
  mode: TunTapMode;
  /**
   * Owner: a uid or a user name. Strings follow iproute2's rules: a decimal
   * number (`strtol`, truncated to 32 bits) or else a name looked up through
   * NSS; `-1` means no owner.
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
  /** Network namespace (a name in `/run/netns`, or a path) to create it in. */
  netns?: string;
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
export interface CreateTunTapsOptions {
  /**
   * Stop at the first request that fails, leaving the later ones undone
   * (as a batch without `-force` does). Their outcomes are then missing.
   */
  stopOnError?: boolean;
  /**
   * Read the devices back after creating them (one dump), into each outcome's
   * `device`. Default `true`; `false` saves the dump when the names are enough.
   */
  readBack?: boolean;
  /** Network namespace (a name in `/run/netns`, or a path) to create them in. */
  netns?: string;
}

/** Options of {@linkcode deleteTunTap}. */
export interface DeleteTunTapOptions {
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
  /** Network namespace (a name in `/run/netns`, or a path). */
  netns?: string;
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
export interface DeleteTunTapsOptions {
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
  /** Network namespace (a name in `/run/netns`, or a path). */
  netns?: string;
}

/** Filter and namespace of {@linkcode listTunTaps}. */
export interface ListTunTapsOptions {
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
  /** Network namespace (a name in `/run/netns`, or a path). */
  netns?: string;
}

/** Namespace option of single-device operations. */
export interface NetnsOptions {
  /** Network namespace (a name in `/run/netns`, or a path). */
  netns?: string;
}

/** A process holding a queue of a device open. */
export interface Holder {
  /** Process id. */
  pid: number;
  /** Process name (`/proc/PID/comm`); absent when it could not be read. */
  comm?: string;
}
