/**
 * The dump behind `listTunTaps`, keeping what the caller makes of each
 * device instead of the device: `show` keeps the text of each line, so that
 * the devices of a large dump die young (no scavenge copies them, the heap
 * does not grow to hold them) and only the lines stay.
 *
 * @module
 */

import { operate } from "../_boundary.ts";
import { RTEXT_FILTER_SKIP_STATS, RTM_GETLINK, RTM_NEWLINK } from "../netlink/_constants.ts";
import { encodeLinkDump, scanTunLink, TunLinkScan } from "../netlink/_link.ts";
import { Rtnl } from "../transport/_rtnl.ts";
import { checkMode } from "./_checks.ts";
import { deviceOfScan } from "./_device.ts";
import type { ListTunTapsOptions } from "./list.ts";
import type { TunTapDevice } from "./types.ts";

/**
 * Lists every TUN/TAP device (no name filter) as `listTunTaps` does, in one
 * dump, handing each device to `map` as soon as its message is read. The
 * devices carry `masterIndex` but not `master` (naming masters takes
 * another request: `after` can make it on the same socket).
 *
 * @typeParam T What `map` makes of a device.
 * @param options Mode filter and namespace (`name` is not looked at).
 * @param map Makes the item kept for a device.
 * @param after Runs on the dump's socket once the items are complete.
 * @returns The items, in dump order.
 * @throws {TypeError} When the mode is not one.
 * @throws {TunTapError} When the namespace cannot be entered or the kernel
 *   cannot be asked.
 */
export function mapTunTaps<T>(
  options: ListTunTapsOptions,
  map: (device: TunTapDevice) => T,
  after?: (rtnl: Rtnl, items: T[]) => void,
): T[] {
  const mode = options.mode;
  if (mode !== undefined) checkMode(mode, "Cannot list TUN/TAP devices");
  return operate("Cannot list TUN/TAP devices", undefined, {}, options.netns, () => {
    using rtnl = Rtnl.open();
    // One scan serves every message; a device is made only for the kept ones.
    const scan = new TunLinkScan();
    const items = rtnl.dump(
      (seq) => encodeLinkDump({ seq, kind: "tun", extMask: RTEXT_FILTER_SKIP_STATS }),
      RTM_GETLINK,
      () => undefined,
      options.onInterrupted ?? (() => {}),
      (datagram, start, end, type) => {
        if (type !== RTM_NEWLINK || !scanTunLink(datagram, start, end, scan)) return undefined;
        const device = deviceOfScan(scan);
        return mode === undefined || device.mode === mode ? map(device) : undefined;
      },
    );
    after?.(rtnl, items);
    return items;
  });
}
