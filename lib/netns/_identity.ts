/**
 * Which network namespace is which: a namespace's inode identifies it,
 * whatever path or descriptor reached it, and its name is the entry of
 * `/run/netns` with the same inode.
 *
 * @module
 */

import * as files from "../../ffi/_files.ts";
import { decodeText } from "../netlink/_text.ts";
import { NETNS_RUN_DIR, NetnsFd } from "./_netns.ts";

/**
 * The inode of an open namespace file, which identifies the namespace
 * (whatever path opened it: a name in /run/netns, `/proc/PID/ns/net`, a
 * descriptor from `TUNGETDEVNETNS`).
 *
 * @param fd The namespace.
 * @returns The inode, or 0 when it cannot be read.
 */
export function netnsInode(fd: NetnsFd): number {
  const inode = files.inodeOf(fd.fd);
  return inode < 0 ? 0 : inode;
}

/**
 * The inode of the calling thread's network namespace.
 *
 * @returns The inode.
 */
export function currentNetnsInode(): number {
  using current = NetnsFd.current();
  return netnsInode(current);
}

/**
 * The name in `/run/netns` of the calling thread's network namespace.
 *
 * @returns The name, or `null` when it has none there.
 */
export function currentNetnsName(): string | null {
  const inode = currentNetnsInode();
  const names = files.readDir(NETNS_RUN_DIR, (b) => decodeText(b));
  if (typeof names === "number") return null;
  for (const name of names) {
    try {
      using fd = NetnsFd.openPath(`${NETNS_RUN_DIR}/${name}`);
      if (netnsInode(fd) === inode) return name;
    } catch {
      // Not a namespace file, or gone meanwhile.
    }
  }
  return null;
}
