/**
 * Helpers shared by the device operations: modes, name errors and link
 * lookups.
 *
 * @module
 */

import { EINVAL, IFF_TAP, IFF_TUN } from "./_kernel.ts";
import { Rtnl } from "./_rtnl.ts";
import { TunTapError } from "./errors.ts";
import type { LinkMessage } from "./netlink/mod.ts";
import type { TunTapMode } from "./types.ts";

/** TUNSETIFF type flag of each mode. */
export const MODE_FLAGS: Readonly<Record<TunTapMode, number>> = { tun: IFF_TUN, tap: IFF_TAP };

/** Checks a mode given by a caller. */
export function checkMode(mode: unknown, action: string): TunTapMode {
  if (mode !== "tun" && mode !== "tap") {
    throw new TypeError(`${action}: mode must be "tun" or "tap", not ${JSON.stringify(mode)}`);
  }
  return mode;
}

/** The error for a name the kernel would refuse. */
export function invalidName(action: string, problem: string): TunTapError {
  return new TunTapError(action, { errno: EINVAL, syscall: "ioctl(TUNSETIFF)", hint: problem });
}

/** One link by name, from a socket opened for it. */
export function lookup(name: string, action: string): LinkMessage | undefined {
  using rtnl = Rtnl.open();
  return rtnl.getLink({ name }, action);
}
