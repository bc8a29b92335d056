/**
 * Helpers that explain failures: they look around (the link of a name, the
 * processes holding a device) after the errno is known.
 *
 * @module
 */

import { describeHolders } from "./_device.ts";
import type { LinkMessage } from "./netlink/mod.ts";
import { attachedProcesses } from "./processes.ts";

/** Runs a hint computation; a failure to explain must never hide the error itself. */
export function explain(compute: () => string | undefined): string | undefined {
  try {
    return compute();
  } catch {
    return undefined;
  }
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
