/**
 * What `addr show` prints about TUN/TAP devices: each link as rtnetlink
 * reports it (flags, MTU, queueing discipline, master, state, group, queue
 * length, link-layer addresses) with its addresses, from one link dump (or
 * one link) and one address dump.
 *
 * @module
 */

import { operate } from "../_boundary.ts";
import { masterNames, requireTunTap, toDevice } from "../device/_device.ts";
import { RTEXT_FILTER_SKIP_STATS, RTM_GETLINK } from "../netlink/_constants.ts";
import { decodeLinkIfAny, encodeLinkDump, type LinkMessage } from "../netlink/_link.ts";
import type { TunTapDevice } from "../device/types.ts";
import { withNetns } from "../netns/_netns.ts";
import { Rtnl } from "../transport/_rtnl.ts";
import type { AddressFamily, TunTapAddress } from "./address.ts";
import { dumpAddresses } from "./_inet.ts";

/** A TUN/TAP link with its addresses. */
export interface AddressLink {
  /** The link as the kernel reports it. */
  link: LinkMessage;
  /** The master's name, if it has one. */
  master?: string;
  /** Its addresses, in the kernel's order. */
  addresses: TunTapAddress[];
}

/** Options of {@linkcode addressLinks}. */
export interface AddressLinksOptions {
  /** One device (which must be a TUN/TAP device), or all of them. */
  name?: string;
  /** Only addresses of this family. */
  family?: AddressFamily;
}

/**
 * The TUN/TAP links and their addresses, in interface index order.
 *
 * @param options Device and family.
 * @returns The links.
 * @throws {TunTapError} When the device is missing or not a TUN/TAP device,
 *   or the kernel cannot be asked.
 */
export function addressLinks(options: AddressLinksOptions = {}): AddressLink[] {
  return operate("Cannot list addresses", undefined, { name: options.name }, undefined, () => {
    using rtnl = Rtnl.open();
    const links = options.name !== undefined ? [requireTunTap(rtnl, options.name).link] : rtnl.dump(
      (seq) => encodeLinkDump({ seq, kind: "tun", extMask: RTEXT_FILTER_SKIP_STATS }),
      RTM_GETLINK,
      (message) => {
        const link = decodeLinkIfAny(message);
        return link && toDevice(link) ? link : undefined;
      },
    );
    const masters = masterNames(rtnl, links);
    const byIndex = new Map(links.map((l): [number, AddressLink] => {
      const master = l.master ? masters(l.master) : undefined;
      return [l.index, { link: l, addresses: [], ...(master ? { master } : {}) }];
    }));
    const names = new Map(links.map((l) => [l.index, l.name ?? ""]));
    for (const address of dumpAddresses(rtnl, names, options.family)) {
      byIndex.get(address.index)?.addresses.push(address);
    }
    return [...byIndex.values()];
  });
}

/**
 * Each TUN/TAP device of a namespace, with its addresses, from
 * {@linkcode addressLinks}' two dumps.
 *
 * @param netns The namespace, or the current one.
 * @returns The devices.
 * @throws {TunTapError} When the namespace cannot be entered or the kernel asked.
 */
export function devicesWithAddresses(
  netns?: string,
): { device: TunTapDevice; addresses: TunTapAddress[] }[] {
  return withNetns(netns, () =>
    addressLinks().map(({ link, addresses, master }) => ({
      // addressLinks keeps only TUN/TAP links.
      device: toDevice(link, () => master) as TunTapDevice,
      addresses,
    })));
}
