/**
 * Changing what a TUN/TAP device needs after creation: link state, MTU,
 * transmit queue length, MAC address, master, name and network namespace,
 * with one acknowledged `RTM_SETLINK`.
 *
 * @module
 */

import * as libc from "../ffi/mod.ts";
import { formatMac, toDevice } from "./_device.ts";
import { EADDRNOTAVAIL, EBUSY, EEXIST, EINVAL, ENODEV, EOPNOTSUPP, ERANGE } from "./_kernel.ts";
import { Rtnl } from "./_rtnl.ts";
import { TunTapError } from "./errors.ts";
import { parseMac } from "./inet.ts";
import { checkNameType, nameProblem } from "./names.ts";
import { netnsPath, openNetns, withNetns } from "./netns.ts";
import {
  type LinkChange,
  type LinkMessage,
  NetlinkWriter,
  RTM_SETLINK,
  writeLinkChange,
} from "./netlink/mod.ts";
import type { NetnsOptions, TunTapDevice } from "./types.ts";

/** Changes for {@linkcode setLink}; absent fields stay as they are. */
export interface SetLinkOptions extends NetnsOptions {
  /** Bring the link up (`true`) or down (`false`). */
  up?: boolean;
  /** MTU in bytes, within the device's minimum and maximum. */
  mtu?: number;
  /** Transmit queue length in packets. */
  txQueueLen?: number;
  /** MAC address of a tap device (`aa:bb:cc:dd:ee:ff`); a tun has none. */
  address?: string;
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

function invalid(action: string, message: string, hint?: string, errno = EINVAL): TunTapError {
  return new TunTapError(action, { errno, syscall: "RTM_SETLINK", extack: message, hint });
}

function checkInteger(action: string, what: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw invalid(
      action,
      `${what} must be an integer from 0 to ${U32_MAX}, not ${value}`,
      undefined,
      ERANGE,
    );
  }
}

function needLink(rtnl: Rtnl, name: string, action: string): LinkMessage {
  const link = rtnl.getLink({ name }, action);
  if (link === undefined) {
    throw new TunTapError(action, {
      errno: ENODEV,
      syscall: "RTM_GETLINK",
      detail: `Cannot find device "${name}"`,
    });
  }
  return link;
}

/** What the kernel's refusals of a link change mean here. */
function changeHint(
  errno: number,
  device: TunTapDevice,
  options: SetLinkOptions,
): string | undefined {
  if (errno === EBUSY && options.name !== undefined && device.up) {
    return `${device.name} is up: bring it down before renaming it`;
  }
  if (errno === EEXIST && options.name !== undefined) {
    return `a device named ${options.name} already exists`;
  }
  return undefined;
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
 * ```
 *
 * @example Bad input is refused before the kernel sees it
 * ```ts
 * import { setLink, TunTapError } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => setLink("tun0", { mtu: -1 }), TunTapError);
 * ```
 *
 * @param name The device.
 * @param options The changes, and the namespace the device is in now.
 * @returns The device as it is afterwards, read where it now lives.
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
  const mac = options.address === undefined ? undefined : parseMac(options.address);
  if (options.address !== undefined && mac === undefined) {
    throw invalid(
      action,
      `"${options.address}" is not a MAC address`,
      "write it as aa:bb:cc:dd:ee:ff",
    );
  }
  if (options.name !== undefined) {
    const problem = nameProblem(options.name, false);
    if (problem !== undefined) throw invalid(action, `invalid name "${options.name}"`, problem);
  }
  if (options.moveTo !== undefined && options.master) {
    throw invalid(
      action,
      "a device cannot move to another namespace and get a master there in one change",
    );
  }
  return withNetns(options.netns, () => {
    const change: LinkChange = { index: 0 };
    let device: TunTapDevice;
    let target: number | undefined;
    try {
      {
        using rtnl = Rtnl.open();
        const link = needLink(rtnl, name, action);
        const found = toDevice(link);
        if (found === undefined) {
          throw invalid(
            action,
            `${name} is not a TUN/TAP device`,
            link.kind ? `its kind is ${link.kind}` : undefined,
          );
        }
        device = found;
        change.index = link.index;
        if (options.up !== undefined) change.up = options.up;
        if (options.mtu !== undefined) {
          const min = link.minMtu ?? 0;
          const max = link.maxMtu ?? U32_MAX;
          if (options.mtu < min || options.mtu > max) {
            throw invalid(
              action,
              `mtu ${options.mtu} is ${
                options.mtu < min
                  ? "less than the device minimum"
                  : "greater than the device maximum"
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
              action,
              `${name} is a tun device, which has no MAC address`,
              "only tap devices (layer 2) have one",
              EOPNOTSUPP,
            );
          }
          if (((mac[0] as number) & 1) !== 0 || mac.every((b) => b === 0)) {
            throw invalid(
              action,
              `${formatMac(mac)} is not a unicast MAC address`,
              undefined,
              EADDRNOTAVAIL,
            );
          }
          change.address = mac;
        }
        if (options.master === null) change.master = 0;
        else if (options.master !== undefined) {
          const master = needLink(rtnl, options.master, action);
          if (master.index === link.index) {
            throw invalid(action, `${name} cannot be its own master`);
          }
          change.master = master.index;
        }
        if (options.name !== undefined && options.name !== name) {
          if (options.moveTo === undefined && rtnl.getLink({ name: options.name }, action)) {
            throw invalid(
              action,
              `a device named ${options.name} already exists`,
              undefined,
              EEXIST,
            );
          }
          change.name = options.name;
        }
      }
      if (options.moveTo !== undefined) {
        target = typeof options.moveTo === "number" ? options.moveTo : openNetns(options.moveTo);
        change.netnsFd = target;
        const finalName = options.name ?? name;
        const clash = withNetns(movedPath(options.moveTo), () => {
          using rtnl = Rtnl.open();
          return rtnl.getLink({ name: finalName }, action);
        });
        if (clash) {
          throw invalid(
            action,
            `a device named ${finalName} already exists in the target namespace`,
            undefined,
            EEXIST,
          );
        }
      }
      const known = device;
      using rtnl = Rtnl.open();
      const seq = rtnl.seq();
      rtnl.request(
        writeLinkChange(new NetlinkWriter(128), seq, change).bytes(),
        seq,
        RTM_SETLINK,
        action,
        (errno) => changeHint(errno, known, options),
      );
    } finally {
      if (target !== undefined && typeof options.moveTo === "string") libc.close(target);
    }
    const finalName = options.name ?? name;
    const readBack = () => {
      using rtnl = Rtnl.open();
      const link = rtnl.getLink({ name: finalName }, action);
      const after = link && toDevice(link);
      if (after === undefined) {
        throw new TunTapError(action, {
          errno: ENODEV,
          syscall: "RTM_GETLINK",
          hint: `${finalName} vanished after the change: another process deleted it`,
        });
      }
      return after;
    };
    return options.moveTo === undefined
      ? readBack()
      : withNetns(movedPath(options.moveTo), readBack);
  });
}

/** A path to a namespace given by name, path or descriptor of this process. */
function movedPath(moveTo: string | number): string {
  return typeof moveTo === "number" ? `/proc/self/fd/${moveTo}` : netnsPath(moveTo);
}
