/**
 * What the kernel reports about a TUN/TAP device, and the processes that
 * hold one.
 *
 * @module
 */

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
  mac?: string;
  /** Name of the master device (a bridge, a bond, a VRF), if any. */
  master?: string;
  /** Interface index of the master device, if any. */
  masterIndex?: number;
}

/** A process holding a queue of a device open. */
export interface Holder {
  /** Process id. */
  pid: number;
  /** Process name (`/proc/PID/comm`); absent when it could not be read. */
  comm?: string;
}
