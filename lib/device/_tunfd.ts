/**
 * The owner of one `/dev/net/tun` descriptor and the ioctls made on it.
 *
 * @module
 */

import * as libc from "../ffi/mod.ts";
import {
  EACCES,
  EBADFD,
  ENODEV,
  ENOENT,
  O_CLOEXEC,
  O_RDWR,
  TUNGETDEVNETNS,
  TUNGETIFF,
  TUNSETGROUP,
  TUNSETIFF,
  TUNSETOWNER,
  TUNSETPERSIST,
} from "./_kernel.ts";
import { OwnedFd } from "./_fd.ts";
import { TunTapError } from "./errors.ts";
import { nameBytes } from "./names.ts";
import { decodeText } from "./netlink/mod.ts";

/** The TUN/TAP clone device. */
export const TUN_PATH = "/dev/net/tun";

const OPEN_HINTS: Readonly<Record<number, string>> = {
  [ENOENT]:
    `${TUN_PATH} does not exist: load the module (modprobe tun) or create the node (mknod ${TUN_PATH} c 10 200)`,
  [ENODEV]: "the tun driver is not available: load it with modprobe tun",
  [EACCES]:
    `${TUN_PATH} is not readable and writable by this user: run as root, or make the node accessible (chmod 0666 ${TUN_PATH})`,
};

const ID_IOCTLS = {
  owner: [TUNSETOWNER, "ioctl(TUNSETOWNER)", "uid"],
  group: [TUNSETGROUP, "ioctl(TUNSETGROUP)", "gid"],
} as const;

/** An open `/dev/net/tun`; closing it detaches its queue. */
export class TunFd extends OwnedFd {
  /**
   * Opens `/dev/net/tun` in the calling thread's network namespace.
   *
   * @param action What is being done, as "Cannot do X".
   * @param flags Extra `open` flags, such as `O_NONBLOCK`.
   * @returns The descriptor's owner.
   */
  static open(action: string, flags = 0): TunFd {
    const fd = libc.open(TUN_PATH, O_RDWR | O_CLOEXEC | flags);
    if (fd < 0) {
      throw new TunTapError(action, { errno: -fd, syscall: "open", hint: OPEN_HINTS[-fd] });
    }
    return new TunFd(fd);
  }

  /**
   * Creates a device or attaches to one (`TUNSETIFF`).
   *
   * @param name The name or template; "" lets the kernel choose.
   * @param flags `IFF_*` flags.
   * @param action What is being done, as "Cannot do X".
   * @param hint Explains a failure, given its errno.
   * @returns The device's actual name.
   */
  setIff(
    name: string,
    flags: number,
    action: string,
    hint: (errno: number) => string | undefined,
  ): string {
    const ifreq = libc.encodeIfreq(nameBytes(name), flags);
    const r = libc.ioctlPtr(this.fd, TUNSETIFF, ifreq);
    if (r < 0) {
      throw new TunTapError(action, { errno: -r, syscall: "ioctl(TUNSETIFF)", hint: hint(-r) });
    }
    return decodeText(libc.ifreqName(ifreq));
  }

  /**
   * The current name of the attached device (`TUNGETIFF`): it follows
   * renames.
   *
   * @param action What is being done, as "Cannot do X".
   * @returns The name, or `undefined` when the device is gone (deleted by
   *   someone else: the descriptor is detached).
   */
  attachedName(action: string): string | undefined {
    const ifreq = new Uint8Array(libc.IFREQ_SIZE);
    const r = libc.ioctlPtr(this.fd, TUNGETIFF, ifreq);
    if (r === -EBADFD) return undefined;
    if (r < 0) throw new TunTapError(action, { errno: -r, syscall: "ioctl(TUNGETIFF)" });
    return decodeText(libc.ifreqName(ifreq));
  }

  /**
   * A descriptor of the network namespace the attached device is in now
   * (`TUNGETDEVNETNS`); it moves with the device.
   *
   * @param action What is being done, as "Cannot do X".
   * @returns The descriptor (the caller closes it), or `undefined` when the
   *   device is gone.
   */
  deviceNetns(action: string): number | undefined {
    const r = libc.ioctlVal(this.fd, TUNGETDEVNETNS, 0n);
    if (r === -EBADFD) return undefined;
    if (r < 0) throw new TunTapError(action, { errno: -r, syscall: "ioctl(TUNGETDEVNETNS)" });
    return r;
  }

  #value(request: bigint, value: number, syscall: string, action: string, hint?: string): void {
    const r = libc.ioctlVal(this.fd, request, BigInt(value));
    if (r < 0) throw new TunTapError(action, { errno: -r, syscall, hint });
  }

  /**
   * Sets the owner (`TUNSETOWNER`) or the group (`TUNSETGROUP`).
   *
   * @param kind Which of the two.
   * @param id The uid or gid.
   * @param action What is being done, as "Cannot do X".
   */
  setId(kind: "owner" | "group", id: number, action: string): void {
    const [request, syscall, what] = ID_IOCTLS[kind];
    this.#value(
      request,
      id,
      syscall,
      action,
      `${what} ${id} must be mapped in this user namespace`,
    );
  }

  /**
   * Sets or clears persistence (`TUNSETPERSIST`).
   *
   * @param on Whether the device outlives its last queue.
   * @param action What is being done, as "Cannot do X".
   */
  setPersist(on: boolean, action: string): void {
    this.#value(TUNSETPERSIST, on ? 1 : 0, "ioctl(TUNSETPERSIST)", action);
  }
}

/** The hint for EPERM when creating a device. */
export const CREATE_EPERM_HINT =
  "creating a TUN/TAP device needs CAP_NET_ADMIN in the user namespace that owns the network namespace: run as root";
