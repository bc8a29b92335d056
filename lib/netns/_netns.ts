/**
 * Running synchronous work inside a named network namespace.
 *
 * `setns(2)` switches only the calling thread. The work runs on this thread
 * between two `setns` calls, so every descriptor it opens (`/dev/net/tun`,
 * netlink sockets) belongs to the target namespace, and the thread always
 * switches back, whatever the work does.
 *
 * @module
 */

import * as libc from "../ffi/mod.ts";
import { CLONE_NEWNET, EINVAL, EPERM, O_CLOEXEC, O_RDONLY } from "./_kernel.ts";
import { TunTapError } from "./errors.ts";
import { encodeText } from "./netlink/mod.ts";

/** Where iproute2 (`ip netns add`) keeps named network namespaces. */
export const NETNS_RUN_DIR = "/run/netns";

/**
 * The file of a network namespace: a name is looked up in `/run/netns`, a
 * value containing `/` is used as a path (`/proc/PID/ns/net`, a bind mount).
 *
 * @param netns A name or a path.
 * @returns The path.
 */
export function netnsPath(netns: string): string {
  return netns.includes("/") ? netns : `${NETNS_RUN_DIR}/${netns}`;
}

/**
 * Opens a network namespace file.
 *
 * @param netns A name or a path.
 * @returns A file descriptor the caller must close.
 */
export function openNetns(netns: string): number {
  const fd = libc.open(encodeText(netnsPath(netns)), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const action = `Cannot open network namespace "${netns}"`;
    throw new TunTapError(action, {
      errno: -fd,
      syscall: "open",
      detail: `${action}: ${libc.errnoDescription(-fd)}`,
      hint: netns.includes("/")
        ? undefined
        : `named namespaces live in ${NETNS_RUN_DIR}; list them with "ip netns list"`,
    });
  }
  return fd;
}

/**
 * Checks that a network namespace can be opened and entered, by entering it
 * and coming back.
 *
 * @param netns A name or a path.
 */
export function checkNetns(netns: string): void {
  withNetns(netns, () => {});
}

/**
 * The inode of an open namespace file, which identifies the namespace
 * (whatever path opened it: a name in /run/netns, `/proc/PID/ns/net`, a
 * descriptor from `TUNGETDEVNETNS`).
 *
 * @param fd The descriptor.
 * @returns The inode, or 0 when it cannot be read.
 */
export function netnsInode(fd: number): number {
  const inode = libc.inodeOf(fd);
  return inode < 0 ? 0 : inode;
}

/**
 * The inode of the calling thread's network namespace.
 *
 * @returns The inode.
 */
export function currentNetnsInode(): number {
  const fd = libc.open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  try {
    return netnsInode(fd);
  } finally {
    libc.close(fd);
  }
}

function enter(fd: number, netns: string): void {
  const r = libc.setns(fd, CLONE_NEWNET);
  if (r < 0) {
    const errno = -r;
    throw new TunTapError(`Cannot enter network namespace "${netns}"`, {
      errno,
      syscall: "setns",
      hint: errno === EINVAL
        ? `${netnsPath(netns)} is not a network namespace`
        : errno === EPERM
        ? "entering a network namespace needs CAP_SYS_ADMIN"
        : undefined,
    });
  }
}

/**
 * Moves this thread into a network namespace until the returned function
 * is called, which moves it back. Between the two, every descriptor the
 * thread opens (`/dev/net/tun`, netlink sockets) belongs to the namespace.
 *
 * @param netns A name or a path.
 * @returns Switches back; calling it more than once does nothing.
 * @throws {TunTapError} When the namespace cannot be opened or entered.
 */
export function enterNetns(netns: string): () => void {
  const target = openNetns(netns);
  try {
    const original = libc.open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (original < 0) {
      throw new TunTapError("Cannot remember the current network namespace", {
        errno: -original,
        syscall: "open",
      });
    }
    try {
      enter(target, netns);
    } catch (error) {
      libc.close(original);
      throw error;
    }
    let back = false;
    return () => {
      if (back) return;
      back = true;
      const r = libc.setns(original, CLONE_NEWNET);
      libc.close(original);
      if (r < 0) {
        // The thread would go on in the wrong namespace: never continue.
        throw new Error(
          `Cannot return to the original network namespace: setns failed with errno ${-r}`,
        );
      }
    };
  } finally {
    libc.close(target);
  }
}

/**
 * Runs `work` with this thread inside a network namespace, then switches
 * back. `work` must be synchronous: it must not await.
 *
 * @typeParam T What `work` returns.
 * @param netns A name, a path, or `undefined` to stay in the current namespace.
 * @param work The synchronous work.
 * @returns What `work` returned.
 */
export function withNetns<T>(netns: string | undefined, work: () => T): T {
  if (netns === undefined) return work();
  const leave = enterNetns(netns);
  let outcome: { value: T } | { error: unknown };
  try {
    outcome = { value: work() };
  } catch (error) {
    outcome = { error };
  }
  leave();
  if ("error" in outcome) throw outcome.error;
  return outcome.value;
}
