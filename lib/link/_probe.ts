/**
 * What `ip link set` looks up while it reads its words: whether a link of a
 * name exists (a master), and which namespace file a `netns` value names.
 *
 * @module
 */

import { NetnsFd, netnsPath, withNetns } from "../netns/_netns.ts";
import { Rtnl } from "../transport/_rtnl.ts";
import { SyscallError } from "../transport/_syscall.ts";

/**
 * Whether a link of this name exists (of any kind).
 *
 * @param name The name.
 * @param netns The namespace to look in, or the current one.
 * @returns Whether it exists.
 */
export function linkExists(name: string, netns?: string): boolean {
  return withNetns(netns, () => {
    using rtnl = Rtnl.open();
    return rtnl.getLink({ name }) !== undefined;
  });
}

/**
 * Which of `names` are links (of any kind), looked up in one exchange.
 *
 * @param names The names.
 * @param netns The namespace to look in, or the current one.
 * @returns The names that exist.
 */
export function existingLinks(names: readonly string[], netns?: string): Set<string> {
  if (names.length === 0) return new Set();
  return withNetns(netns, () => {
    using rtnl = Rtnl.open();
    const found = rtnl.getLinks(names.map((name) => ({ name })));
    return new Set(names.filter((_, i) => found[i] !== undefined));
  });
}

function openable(path: string): boolean {
  try {
    using _fd = NetnsFd.openPath(path);
    return true;
  } catch (error) {
    if (error instanceof SyscallError) return false;
    throw error;
  }
}

/**
 * The namespace file a `netns` value names, as `ip link set … netns` reads
 * it: a name in `/run/netns` or a path, else a process ID in decimal
 * (`/proc/PID/ns/net`); `undefined` when it names nothing that can be
 * opened. A name that opens as something other than a namespace is left
 * for the kernel to refuse.
 *
 * @param text The value.
 * @returns The path, or `undefined`.
 */
export function namespaceTarget(text: string): string | undefined {
  const path = netnsPath(text);
  if (openable(path)) return path;
  if (/^[1-9][0-9]*$/.test(text) && openable(`/proc/${text}/ns/net`)) {
    return `/proc/${text}/ns/net`;
  }
  return undefined;
}
