/**
 * The tun descriptor: the kernel's TUN/TAP ABI (`ioctl` request numbers and
 * `ifr_flags`, x86_64 and aarch64, which both use the asm-generic ioctl
 * encoding), and the owner of one `/dev/net/tun` descriptor with the ioctls
 * made on it. Failures are {@linkcode SyscallError}s; the operation words
 * them.
 *
 * @module
 */

import * as libc from "../../ffi/_libc.ts";
import { EBADFD } from "../_errno.ts";
import { decodeText } from "../netlink/_text.ts";
import { NetnsFd } from "../netns/_netns.ts";
import { O_CLOEXEC, O_RDWR, OwnedFd, SyscallError } from "../transport/_syscall.ts";
import { nameBytes } from "./_checks.ts";

/** `_IOW('T', 202, int)`: create a device or attach to one. */
export const TUNSETIFF = 0x400454can;
/** `_IOW('T', 203, int)`: set or clear persistence (value argument). */
export const TUNSETPERSIST = 0x400454cbn;
/** `_IOW('T', 204, int)`: set the owner uid (value argument). */
export const TUNSETOWNER = 0x400454ccn;
/** `_IOW('T', 206, int)`: set the group gid (value argument). */
export const TUNSETGROUP = 0x400454cen;
/** `_IOR('T', 207, unsigned int)`: the flags TUNSETIFF supports. */
export const TUNGETFEATURES = 0x800454cfn;
/** `_IOR('T', 210, unsigned int)`: name and flags of the attached device. */
export const TUNGETIFF = 0x800454d2n;
/** `_IOR('T', 215, int)`: the virtio-net header size. */
export const TUNGETVNETHDRSZ = 0x800454d7n;
/** `_IOW('T', 216, int)`: set the virtio-net header size. */
export const TUNSETVNETHDRSZ = 0x400454d8n;
/** `_IOW('T', 217, int)`: attach or detach this queue. */
export const TUNSETQUEUE = 0x400454d9n;
/** `_IO('T', 227)`: a new descriptor of the attached device's network namespace. */
export const TUNGETDEVNETNS = 0x54e3n;

/** TUNSETIFF flag: layer-3 device. */
export const IFF_TUN = 0x0001;
/** TUNSETIFF flag: layer-2 device. */
export const IFF_TAP = 0x0002;
/** TUNSETIFF flag: multi-queue device. */
export const IFF_MULTI_QUEUE = 0x0100;
/** TUNSETQUEUE flag: re-enable this queue. */
export const IFF_ATTACH_QUEUE = 0x0200;
/** TUNSETQUEUE flag: disable this queue. */
export const IFF_DETACH_QUEUE = 0x0400;
/** TUNSETIFF flag: no packet information header. */
export const IFF_NO_PI = 0x1000;
/** TUNSETIFF flag: obsolete, stored but without effect. */
export const IFF_ONE_QUEUE = 0x2000;
/** TUNSETIFF flag: virtio-net header. */
export const IFF_VNET_HDR = 0x4000;
/** TUNSETIFF flag: fail with EBUSY if the name exists. */
export const IFF_TUN_EXCL = 0x8000;

/** TUNSETIFF type flag of each mode. */
export const MODE_FLAGS: Readonly<Record<"tun" | "tap", number>> = { tun: IFF_TUN, tap: IFF_TAP };

/** The clone device every queue is opened through. */
export const TUN_PATH = "/dev/net/tun";

/** {@linkcode TUN_PATH} as the C string `open` takes, made once. */
const TUN_PATH_C = libc.cString(TUN_PATH);

/** The `struct ifreq` of `TUNSETIFF`, reused: the calls are synchronous. */
const IFREQ = new Uint8Array(libc.IFREQ_SIZE);

/** The name of each request, as a failure names its call: `ioctl(TUNSETIFF)`. */
const REQUESTS = new Map<bigint, string>([
  [TUNSETIFF, "TUNSETIFF"],
  [TUNSETPERSIST, "TUNSETPERSIST"],
  [TUNSETOWNER, "TUNSETOWNER"],
  [TUNSETGROUP, "TUNSETGROUP"],
  [TUNGETFEATURES, "TUNGETFEATURES"],
  [TUNGETIFF, "TUNGETIFF"],
  [TUNGETVNETHDRSZ, "TUNGETVNETHDRSZ"],
  [TUNSETVNETHDRSZ, "TUNSETVNETHDRSZ"],
  [TUNSETQUEUE, "TUNSETQUEUE"],
  [TUNGETDEVNETNS, "TUNGETDEVNETNS"],
]);

/** An ioctl's result, or its failure as a {@linkcode SyscallError}. */
function checked(r: number, request: bigint): number {
  if (r < 0) throw new SyscallError(-r, `ioctl(${REQUESTS.get(request)})`);
  return r;
}

/** An open `/dev/net/tun`; closing it detaches its queue. */
export class TunFd extends OwnedFd {
  /**
   * Opens `/dev/net/tun` in the calling thread's network namespace.
   *
   * @param flags Extra `open` flags, such as `O_NONBLOCK`.
   * @returns The descriptor's owner.
   * @throws {SyscallError} When it cannot be opened.
   */
  static open(flags = 0): TunFd {
    const fd = libc.openCString(TUN_PATH_C, O_RDWR | O_CLOEXEC | flags);
    if (fd < 0) throw new SyscallError(-fd, "open");
    return new TunFd(fd);
  }

  /**
   * Creates a device or attaches to one (`TUNSETIFF`).
   *
   * @param name The name or template; "" lets the kernel choose.
   * @param flags `IFF_*` flags.
   * @returns The device's actual name.
   * @throws {SyscallError} When the kernel refuses.
   */
  setIff(name: string, flags: number): string {
    libc.fillIfreq(IFREQ, name, nameBytes, flags);
    checked(libc.ioctlPtr(this.fd, TUNSETIFF, IFREQ), TUNSETIFF);
    // Only a template ("%d") changes: any other name is the device's exactly.
    return name.includes("%") || name === "" ? decodeText(libc.ifreqName(IFREQ)) : name;
  }

  /**
   * The current name of the attached device (`TUNGETIFF`): it follows
   * renames.
   *
   * @returns The name, or `undefined` when the device is gone (deleted by
   *   someone else: the descriptor is detached).
   */
  attachedName(): string | undefined {
    const ifreq = new Uint8Array(libc.IFREQ_SIZE);
    const r = libc.ioctlPtr(this.fd, TUNGETIFF, ifreq);
    if (r === -EBADFD) return undefined;
    checked(r, TUNGETIFF);
    return decodeText(libc.ifreqName(ifreq));
  }

  /**
   * The network namespace the attached device is in now (`TUNGETDEVNETNS`);
   * it moves with the device.
   *
   * @returns Its descriptor (the caller closes it), or `undefined` when the
   *   device is gone.
   */
  deviceNetns(): NetnsFd | undefined {
    const r = libc.ioctlVal(this.fd, TUNGETDEVNETNS, 0n);
    if (r === -EBADFD) return undefined;
    return NetnsFd.adopt(checked(r, TUNGETDEVNETNS));
  }

  /**
   * Sets the owner (`TUNSETOWNER`) or the group (`TUNSETGROUP`).
   *
   * @param kind Which of the two.
   * @param id The uid or gid.
   */
  setId(kind: "owner" | "group", id: number): void {
    const request = kind === "owner" ? TUNSETOWNER : TUNSETGROUP;
    checked(libc.ioctlVal(this.fd, request, BigInt(id)), request);
  }

  /**
   * Sets or clears persistence (`TUNSETPERSIST`).
   *
   * @param on Whether the device outlives its last queue.
   */
  setPersist(on: boolean): void {
    checked(libc.ioctlVal(this.fd, TUNSETPERSIST, on ? 1n : 0n), TUNSETPERSIST);
  }

  /**
   * Disables this queue of a multi-queue device, or enables it again
   * (`TUNSETQUEUE` with `IFF_DETACH_QUEUE` / `IFF_ATTACH_QUEUE`).
   *
   * @param flag The flag.
   */
  setQueue(flag: number): void {
    checked(
      libc.ioctlPtr(this.fd, TUNSETQUEUE, libc.encodeIfreq(new Uint8Array(0), flag)),
      TUNSETQUEUE,
    );
  }

  /**
   * The size of the virtio-net header before each packet (`TUNGETVNETHDRSZ`).
   *
   * @returns The size in bytes.
   */
  vnetHdrSize(): number {
    return this.#int(TUNGETVNETHDRSZ);
  }

  /**
   * Sets the size of the virtio-net header (`TUNSETVNETHDRSZ`; at least 10).
   *
   * @param size The size in bytes.
   */
  setVnetHdrSize(size: number): void {
    this.#int(TUNSETVNETHDRSZ, size);
  }

  /**
   * The `TUNSETIFF` flags the driver supports (`TUNGETFEATURES`; works on a
   * descriptor not yet attached).
   *
   * @returns The flags.
   */
  features(): number {
    return this.#int(TUNGETFEATURES) >>> 0;
  }

  /** An ioctl whose argument points to an `int`: the `int` after the call. */
  #int(request: bigint, value = 0): number {
    const cell = new Int32Array([value]);
    checked(libc.ioctlPtr(this.fd, request, new Uint8Array(cell.buffer)), request);
    return cell[0] as number;
  }
}
