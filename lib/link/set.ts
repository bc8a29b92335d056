/**
 * Changing what a TUN/TAP device needs after creation: link state, MTU,
 * transmit queue length, MAC address, master, name and network namespace,
 * with one acknowledged `RTM_SETLINK`.
 *
 * @module
 */

import { operate, worded } from "../_boundary.ts";
import { HINTS } from "../_hints.ts";
import { EADDRNOTAVAIL, EEXIST, EINVAL, ENODEV, EOPNOTSUPP } from "../_errno.ts";
import {
  formatMac,
  masterNames,
  parseMac,
  requireLink,
  requireTunTap,
  toDevice,
} from "../device/_device.ts";
import { checkNameType, nameProblem } from "../device/_checks.ts";
import type { TunTapDevice } from "../device/types.ts";
import { RTM_SETLINK } from "../netlink/_constants.ts";
import { type LinkChange, writeLinkChange } from "../netlink/_link.ts";
import { NetlinkWriter } from "../netlink/_writer.ts";
import { NetnsFd, netnsPath, withNetns } from "../netns/_netns.ts";
import type { NetnsOptions } from "../netns/netns.ts";
import { SyscallError } from "../transport/_syscall.ts";
import { Rtnl } from "../transport/_rtnl.ts";

/** Changes for {@linkcode setLink}; absent fields stay as they are. */
export interface SetLinkOptions extends NetnsOptions {
  /** Bring the link up (`true`) or down (`false`). */
  up?: boolean;
  /** MTU in bytes, within the device's minimum and maximum. */
  mtu?: number;
  /** Transmit queue length in packets. */
  txQueueLen?: number;
  /** MAC address of a tap device (`aa:bb:cc:dd:ee:ff`); a tun has none. */
  mac?: string;
  /** Master to attach to (a bridge, a bond, a VRF), by name; `null` detaches. */
  master?: string | null;
  /** New name. */
  name?: string;
  /**
   * Network namespace to move the device to: a name in `/run/netns`, a path,
   * or an open descriptor. The device goes down and loses its addresses, as
   * any moved link does.
   */
  moveTo?: string | number;
}

const U32_MAX = 0xffffffff;

function invalid(message: string, hint?: string, errno = EINVAL): SyscallError {
  return new SyscallError(errno, "RTM_SETLINK", { extack: message, explanation: hint });
}

function checkInteger(action: string, what: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw new RangeError(
      `${action}: ${what} must be an integer from 0 to ${U32_MAX}, not ${value}`,
    );
  }
}

/**
 * Changes a TUN/TAP device's link settings. Everything that can be checked
 * beforehand is (the device and the master exist, the MTU is within the
 * device's range, a tun gets no MAC, the new name is free), so bad input
 * changes nothing; then all changes go to the kernel in one request.
 *
 * @example Usage
 * ```ts ignore
 * import { setLink } from "@netdev/tuntap";
 *
 * setLink("tap0", { master: "br0", up: true });
 * setLink("tun0", { mtu: 1420, txQueueLen: 1000, up: true });
 * setLink("tun1", { moveTo: "blue" });
 * setLink("tap1", { mac: "02:11:22:33:44:55" });
 * ```
 *
 * @example Bad input is refused before the kernel sees it
 * ```ts
 * import { setLink, TunTapError } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => setLink("tun0", { mtu: -1 }), RangeError);
 * assert.throws(() => setLink("tun0", { mac: "02:zz" }), TunTapError);
 * ```
 *
 * @param name The device.
 * @param options The changes, and the namespace the device is in now.
 * @returns The device as it is afterwards, read where it now lives.
 * @throws {TypeError} When a name is not one.
 * @throws {RangeError} When the MTU or the queue length is not a u32.
 * @throws {TunTapError} When the device is missing or not a TUN/TAP device,
 *   a value is malformed, or the kernel refuses.
 */
export function setLink(name: string, options: SetLinkOptions): TunTapDevice {
  const action = `Cannot change device "${name}"`;
  checkNameType(name, action);
  if (options.name !== undefined) checkNameType(options.name, action);
  if (typeof options.master === "string") checkNameType(options.master, action);
  if (options.mtu !== undefined) checkInteger(action, "the MTU", options.mtu);
  if (options.txQueueLen !== undefined) {
    checkInteger(action, "the transmit queue length", options.txQueueLen);
  }
  return worded(action, HINTS.setLink, { name, newName: options.name }, () => {
    const mac = options.mac === undefined ? undefined : parseMac(options.mac);
    if (options.mac !== undefined && mac === undefined) {
      throw invalid(`"${options.mac}" is not a MAC address`, "write it as aa:bb:cc:dd:ee:ff");
    }
    if (options.name !== undefined) {
      const problem = nameProblem(options.name, false);
      if (problem !== undefined) throw invalid(`invalid name "${options.name}"`, problem);
    }
    if (options.moveTo !== undefined && options.master) {
      throw invalid(
        "a device cannot move to another namespace and get a master there in one change",
      );
    }
    return operate(
      action,
      HINTS.setLink,
      { name, newName: options.name },
      options.netns,
      () => change(name, options, mac),
    );
  });
}

function change(name: string, options: SetLinkOptions, mac: Uint8Array | undefined): TunTapDevice {
  const change: LinkChange = { index: 0 };
  using rtnl = Rtnl.open();
  const { link, device } = requireTunTap(rtnl, name);
  change.index = link.index;
  if (options.up !== undefined) change.up = options.up;
  if (options.mtu !== undefined) {
    const min = link.minMtu ?? 0;
    const max = link.maxMtu ?? U32_MAX;
    if (options.mtu < min || options.mtu > max) {
      throw invalid(
        `mtu ${options.mtu} is ${
          options.mtu < min ? "less than the device minimum" : "greater than the device maximum"
        }`,
        `${name} accepts MTUs from ${min} to ${max}`,
      );
    }
    change.mtu = options.mtu;
  }
  if (options.txQueueLen !== undefined) change.txQueueLen = options.txQueueLen;
  if (mac !== undefined) {
    if (device.mode === "tun") {
      throw invalid(
        `${name} is a tun device, which has no MAC address`,
        "only tap devices (layer 2) have one",
        EOPNOTSUPP,
      );
    }
    if (((mac[0] as number) & 1) !== 0 || mac.every((b) => b === 0)) {
      throw invalid(`${formatMac(mac)} is not a unicast MAC address`, undefined, EADDRNOTAVAIL);
    }
    change.address = mac;
  }
  if (options.master === null) change.master = 0;
  else if (options.master !== undefined) {
    const master = requireLink(rtnl, options.master);
    if (master.index === link.index) throw invalid(`${name} cannot be its own master`);
    change.master = master.index;
  }
  if (options.name !== undefined && options.name !== name) {
    if (options.moveTo === undefined && rtnl.getLink({ name: options.name })) {
      throw invalid(`a device named ${options.name} already exists`, undefined, EEXIST);
    }
    change.name = options.name;
  }
  const finalName = options.name ?? name;
  using target = typeof options.moveTo === "string" ? NetnsFd.open(options.moveTo) : undefined;
  if (options.moveTo !== undefined) {
    change.netnsFd = target?.fd ?? options.moveTo as number;
    const clash = withNetns(movedPath(options.moveTo), () => {
      using there = Rtnl.open();
      return there.getLink({ name: finalName });
    });
    if (clash) {
      throw invalid(
        `a device named ${finalName} already exists in the target namespace`,
        undefined,
        EEXIST,
      );
    }
  }
  const seq = rtnl.seq();
  rtnl.request(writeLinkChange(new NetlinkWriter(128), seq, change).bytes(), seq, RTM_SETLINK);
  const readBack = () => {
    using there = Rtnl.open();
    const after = there.getLink({ name: finalName });
    const found = after && toDevice(after, masterNames(there, [after]));
    if (found === undefined) {
      throw new SyscallError(ENODEV, "RTM_GETLINK", {
        explanation: `${finalName} vanished after the change: another process deleted it`,
      });
    }
    return found;
  };
  return options.moveTo === undefined ? readBack() : withNetns(movedPath(options.moveTo), readBack);
}

/** A path to a namespace given by name, path or descriptor of this process. */
function movedPath(moveTo: string | number): string {
  return typeof moveTo === "number" ? `/proc/self/fd/${moveTo}` : netnsPath(moveTo);
}
