/**
 * Changing the flags, owner or group of an existing persistent device: the
 * kernel takes the `pi`/`vnet_hdr` flags of whoever attaches last, and lets
 * an attached descriptor set the owner and group. Possible only while no
 * process holds the device (a single-queue device refuses a second
 * descriptor with EBUSY; a multi-queue device's holders would see their
 * framing change under them).
 *
 * @module
 */

import { operate } from "../_boundary.ts";
import { EBUSY, ENODEV } from "../_errno.ts";
import { HINTS } from "../_hints.ts";
import { Rtnl } from "../transport/_rtnl.ts";
import { SyscallError } from "../transport/_syscall.ts";
import { toDevice } from "./_device.ts";
import { IFF_MULTI_QUEUE, IFF_NO_PI, IFF_VNET_HDR, MODE_FLAGS, TunFd } from "./_tunfd.ts";
import type { TunTapMode } from "./types.ts";

/** What to set on a device. */
export interface Reattach {
  /** The device's mode (it must have it). */
  mode: TunTapMode;
  /** Its multi_queue flag (it must have it). */
  multiQueue: boolean;
  /** The `pi` flag wanted. */
  pi: boolean;
  /** The `vnet_hdr` flag wanted. */
  vnetHdr: boolean;
  /** An owner to set (a uid); absent: left as it is. */
  owner?: number;
  /** A group to set (a gid); absent: left as it is. */
  group?: number;
}

/**
 * Attaches to the device of `name` with the flags wanted, sets owner and
 * group, and detaches; the device stays persistent. The descriptor is
 * checked to be attached to the device that was looked up (same index).
 *
 * @param name The device.
 * @param want Its flags, owner and group.
 * @param netns Its namespace.
 * @throws {TunTapError} EBUSY when a process holds it; ENODEV when it is
 *   gone or was replaced.
 */
export function reattachTunTap(name: string, want: Reattach, netns?: string): void {
  operate(`Cannot change device "${name}"`, HINTS.create, { name }, netns, () => {
    using rtnl = Rtnl.open();
    const link = rtnl.getLink({ name });
    const found = link && toDevice(link);
    if (link === undefined || found === undefined) {
      throw new SyscallError(ENODEV, "RTM_GETLINK", { detail: `Cannot find device "${name}"` });
    }
    if (found.queues !== undefined && found.queues > 0 || found.carrier) {
      throw new SyscallError(EBUSY, "ioctl(TUNSETIFF)", {
        detail: `a process holds ${name}: its flags, owner and group cannot change under it`,
      });
    }
    using tun = TunFd.open();
    tun.setIff(
      name,
      MODE_FLAGS[want.mode] | (want.pi ? 0 : IFF_NO_PI) | (want.vnetHdr ? IFF_VNET_HDR : 0) |
        (want.multiQueue ? IFF_MULTI_QUEUE : 0),
    );
    if (rtnl.getLink({ name })?.index !== link.index || tun.attachedName() !== name) {
      throw new SyscallError(ENODEV, "RTM_GETLINK", {
        detail: `${name} was deleted or replaced meanwhile`,
      });
    }
    if (want.owner !== undefined) tun.setId("owner", want.owner);
    if (want.group !== undefined) tun.setId("group", want.group);
  });
}
