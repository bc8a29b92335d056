/**
 * Helpers shared by the device operations: modes, name errors, link lookups
 * and hints.
 *
 * @module
 */

import { describeHolders } from "./_device.ts";
import { EINVAL, IFF_TAP, IFF_TUN } from "./_kernel.ts";
import { Rtnl } from "./_rtnl.ts";
import { TunTapError } from "./errors.ts";
import type { LinkMessage } from "./netlink/mod.ts";
import { attachedProcesses } from "./processes.ts";
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

/** Runs a hint computation; a failure to explain must never hide the error itself. */
export function explain(compute: () => string | undefined): string | undefined {
  try {
    return compute();
  } catch {
    return undefined;
  }
}

/** One link by name, from a socket opened for it. */
export function lookup(name: string, action: string): LinkMessage | undefined {
  using rtnl = Rtnl.open();
  return rtnl.getLink({ name }, action);
}

/** What a non-TUN/TAP link is, for hints. */
export function describeLink(link: LinkMessage): string {
  return link.kind === undefined ? "it has no link kind" : `its kind is ${link.kind}`;
}

/** The holders of a device, as text for hints. */
export function holdersOf(name: string): string | undefined {
  const holders = attachedProcesses([name]).get(name) ?? [];
  return holders.length > 0 ? describeHolders(holders) : undefined;
}
