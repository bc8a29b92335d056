/**
 * The declarative model: a config file's devices, the state found on the
 * host, and the plan that turns one into the other.
 *
 * @module
 */

import type { TunTapMode } from "../device/types.ts";

/** One address of a device: `ADDR/LEN`, with a peer for point-to-point links. */
export interface AddressConfig {
  /** `ADDR/LEN` (the length defaults to the full one: /32, /128). */
  address: string;
  /** The peer's address (`ip addr add … peer PEER`). */
  peer?: string;
}

/**
 * One device of a config. `name` and `mode` are required; absent device
 * settings (owner, group, flags) are `ip tuntap add`'s defaults; absent link
 * settings are not managed (left as the kernel has them); `addresses`, when
 * present, is the whole set (the kernel's own IPv6 link-local addresses
 * aside).
 */
export interface DeviceConfig {
  /** The device's name (exact; no `%d`). */
  name: string;
  /** tun or tap. */
  mode: TunTapMode;
  /** The user allowed to attach, by name or number; none when absent. */
  owner?: number | string;
  /** The group allowed to attach, by name or number; none when absent. */
  group?: number | string;
  /** Packets carry the 4-byte `tun_pi` header. */
  pi?: boolean;
  /** Packets carry a virtio-net header. */
  vnetHdr?: boolean;
  /** Several queues can be attached. */
  multiQueue?: boolean;
  /** Administratively up (`true`) or down (`false`). */
  up?: boolean;
  /** The MTU. */
  mtu?: number;
  /** The transmit queue length. */
  txQueueLen?: number;
  /** The MAC address (tap only). */
  mac?: string;
  /** The bridge (or bond, VRF) it is enslaved to; `null`: none. */
  master?: string | null;
  /** The network namespace it lives in (a name in `/run/netns` or a path); the caller's when absent. */
  netns?: string;
  /** Every address it has. */
  addresses?: AddressConfig[];
}

/** A config: the devices a host should have. */
export interface TunTapConfig {
  /** The format's version: 1. */
  version: 1;
  /** The devices. */
  devices: DeviceConfig[];
}

/** A device as found on the host: every setting known, and whether it is in use. */
export interface CurrentDevice extends DeviceConfig {
  /** Owner as a number; absent when none. */
  owner?: number;
  /** Group as a number; absent when none. */
  group?: number;
  /** Whether a process holds a queue of it (a re-create would cut it off). */
  attached: boolean;
}

/** One namespace as found on the host. */
export interface CurrentNamespace {
  /** The namespace (as the config names it); absent: the caller's. */
  netns?: string;
  /** Its TUN/TAP devices. */
  devices: CurrentDevice[];
  /** The names of its other links (a device cannot take one of them). */
  otherLinks: string[];
}

/** What a plan starts from: the namespaces a config names, as they are. */
export interface CurrentState {
  /** The namespaces. */
  namespaces: CurrentNamespace[];
}

/** What an action does. */
export type ActionKind = "create" | "change" | "recreate" | "move" | "delete";

/** One setting an action changes. */
export interface SettingChange {
  /** The key, as the file spells it (`mtu`, `addresses`, …). */
  key: string;
  /** The value now (`null`: none). */
  from: unknown;
  /** The value wanted (`null`: none). */
  to: unknown;
}

/** One step of a plan. */
export interface PlanAction {
  /** What it does. */
  kind: ActionKind;
  /** The device. */
  name: string;
  /** Its namespace; absent: the caller's. */
  netns?: string;
  /** Why, in words. */
  reason: string;
  /** The settings it changes (for create: those it sets beyond the defaults). */
  changes: SettingChange[];
  /** The device wanted (absent for a delete). */
  device?: DeviceConfig;
  /**
   * Why it will not run without `force` (a re-create or delete of a device
   * a process holds); absent when it can run.
   */
  refused?: string;
  /** Why it cannot run at all (a link of another kind has the name). */
  conflict?: string;
  /** The device as found (delete, re-create, move, change). */
  current?: CurrentDevice;
}

/** A plan: ordered actions, and how many devices need none. */
export interface Plan {
  /** Deletes, moves, re-creates, creates, then changes; file order within each. */
  actions: PlanAction[];
  /** Devices of the config that are as wanted. */
  unchanged: number;
}
