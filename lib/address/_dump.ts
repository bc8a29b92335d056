/**
 * Reading addresses of TUN/TAP devices: the address dump and the conversion
 * of address messages, shared by the address operations and the full view.
 *
 * @module
 */

import { toDevice } from "./_device.ts";
import { EINVAL, ENODEV } from "./_kernel.ts";
import type { Rtnl } from "./_rtnl.ts";
import type { AddressFamily, TunTapAddress } from "./address.ts";
import { TunTapError } from "./errors.ts";
import { formatInet } from "./inet.ts";
import {
  type AddressMessage,
  AF_INET,
  AF_INET6,
  decodeAddressIfAny,
  decodeLinkIfAny,
  encodeAddressDump,
  encodeLinkDump,
  RTEXT_FILTER_SKIP_STATS,
  RTM_GETADDR,
  RTM_GETLINK,
} from "./netlink/mod.ts";
import type { TunTapDevice } from "./types.ts";

const FAMILIES: Readonly<Record<number, AddressFamily>> = {
  [AF_INET]: "inet",
  [AF_INET6]: "inet6",
};
export const FAMILY_NUMBERS: Readonly<Record<AddressFamily, number>> = {
  inet: AF_INET,
  inet6: AF_INET6,
};
const SCOPES: Readonly<Record<number, string>> = {
  0: "global",
  200: "site",
  253: "link",
  254: "host",
  255: "nowhere",
};
const FLAGS: readonly (readonly [number, string])[] = [
  [0x01, "secondary"],
  [0x02, "nodad"],
  [0x04, "optimistic"],
  [0x08, "dadfailed"],
  [0x10, "homeaddress"],
  [0x20, "deprecated"],
  [0x40, "tentative"],
  [0x80, "permanent"],
  [0x100, "mngtmpaddr"],
  [0x200, "noprefixroute"],
  [0x400, "autojoin"],
  [0x800, "stable-privacy"],
];
const FOREVER = 0xffffffff;

export function toAddress(message: AddressMessage, device: string): TunTapAddress | undefined {
  const family = FAMILIES[message.family];
  const local = message.local ?? message.address;
  if (family === undefined || local === undefined) return undefined;
  const result: TunTapAddress = {
    device,
    index: message.index,
    family,
    address: formatInet(local),
    prefixLength: message.prefixLength,
    scope: SCOPES[message.scope] ?? String(message.scope),
    flags: FLAGS.filter(([bit]) => (message.flags & bit) !== 0).map(([, word]) => word),
  };
  if (message.local && message.address && formatInet(message.address) !== result.address) {
    result.peer = formatInet(message.address);
  }
  if (message.broadcast) result.broadcast = formatInet(message.broadcast);
  if (message.label !== undefined) result.label = message.label;
  if (message.lifetimes && message.lifetimes.valid !== FOREVER) {
    result.validLifetime = message.lifetimes.valid;
    result.preferredLifetime = message.lifetimes.preferred;
  }
  return result;
}

export function tunDevice(rtnl: Rtnl, name: string, action: string): TunTapDevice {
  const link = rtnl.getLink({ name }, action);
  const device = link && toDevice(link);
  if (device === undefined) {
    throw new TunTapError(action, {
      errno: link ? EINVAL : ENODEV,
      syscall: "RTM_GETLINK",
      detail: link ? `${name} is not a TUN/TAP device` : `Cannot find device "${name}"`,
    });
  }
  return device;
}

export function dumpAddresses(
  rtnl: Rtnl,
  devices: Map<number, string>,
  family: AddressFamily | undefined,
  action: string,
  onInterrupted?: () => void,
): TunTapAddress[] {
  const wanted = family === undefined ? 0 : FAMILY_NUMBERS[family];
  return rtnl.dump(
    (seq) => encodeAddressDump(seq, wanted),
    RTM_GETADDR,
    (message) => {
      const address = decodeAddressIfAny(message);
      const device = address && devices.get(address.index);
      return address && device !== undefined ? toAddress(address, device) : undefined;
    },
    action,
    onInterrupted,
  );
}

/** The TUN/TAP devices the filter covers, by index. */
export function devicesOf(
  rtnl: Rtnl,
  name: string | undefined,
  action: string,
  onInterrupted?: () => void,
): Map<number, string> {
  if (name !== undefined) {
    const device = tunDevice(rtnl, name, action);
    return new Map([[device.index, device.name]]);
  }
  const devices = rtnl.dump(
    (seq) => encodeLinkDump({ seq, kind: "tun", extMask: RTEXT_FILTER_SKIP_STATS }),
    RTM_GETLINK,
    (message) => {
      const link = decodeLinkIfAny(message);
      return link && toDevice(link);
    },
    action,
    onInterrupted,
  );
  return new Map(devices.map((d) => [d.index, d.name]));
}
