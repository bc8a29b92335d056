/**
 * Network namespaces: their files, and running work inside one (which one
 * is which: `_identity.ts`).
 *
 * `setns(2)` switches only the calling thread. The work runs on this thread
 * between two `setns` calls, so every descriptor it opens (`/dev/net/tun`,
 * netlink sockets) belongs to the target namespace, and the thread always
 * switches back, whatever the work does.
 *
 * @module
 */

import * as libc from "../../ffi/_libc.ts";
import { EINVAL, ENOENT, EPERM, errnoDescription } from "../_errno.ts";
import { encodeText } from "../netlink/_text.ts";
import { CLONE_NEWNET, O_CLOEXEC, O_RDONLY, OwnedFd, SyscallError } from "../transport/_syscall.ts";

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

/** An open namespace file. */
export class NetnsFd extends OwnedFd {
  /**
   * Opens a namespace file.
   *
   * @param path Its path.
   * @param syscall How a failure names the call.
   * @returns The descriptor's owner.
   * @throws {SyscallError} When it cannot be opened.
   */
  static openPath(path: string, syscall = "open(netns)"): NetnsFd {
    const fd = libc.open(encodeText(path), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw new SyscallError(-fd, syscall);
    return new NetnsFd(fd);
  }

  /**
   * Opens a network namespace by name or path.
   *
   * @param netns A name or a path.
   * @returns The descriptor's owner.
   * @throws {SyscallError} When it cannot be opened.
   */
  static open(netns: string): NetnsFd {
    const fd = libc.open(encodeText(netnsPath(netns)), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      throw new SyscallError(-fd, "open(netns)", {
        detail: `Cannot open network namespace "${netns}": ${errnoDescription(-fd)}`,
        explanation: -fd === ENOENT && !netns.includes("/")
          ? `named namespaces live in ${NETNS_RUN_DIR}; list them with "ip netns list"`
          : undefined,
      });
    }
    return new NetnsFd(fd);
  }

  /**
   * Opens the calling thread's network namespace.
   *
   * @returns The descriptor's owner.
   * @throws {SyscallError} When it cannot be opened.
   */
  static current(): NetnsFd {
    return NetnsFd.openPath("/proc/thread-self/ns/net", "open(/proc/thread-self/ns/net)");
  }

  /**
   * Takes ownership of a descriptor of a namespace (from `TUNGETDEVNETNS`).
   *
   * @param fd The descriptor.
   * @returns Its owner.
   */
  static adopt(fd: number): NetnsFd {
    return new NetnsFd(fd);
  }

  /**
   * Moves the calling thread into this namespace.
   *
   * @param label How the namespace was given, for the explanation of a failure.
   * @throws {SyscallError} When the kernel refuses (EINVAL: not a network
   *   namespace; EPERM: no CAP_SYS_ADMIN).
   */
  enter(label?: string): void {
    const r = libc.setns(this.fd, CLONE_NEWNET);
    if (r >= 0) return;
    throw new SyscallError(-r, "setns", {
      explanation: -r === EPERM
        ? "entering a network namespace needs CAP_SYS_ADMIN"
        : -r === EINVAL && label !== undefined
        ? `${netnsPath(label)} is not a network namespace`
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
 * @throws {SyscallError} When the namespace cannot be opened or entered.
 */
export function enterNetns(netns: string): () => void {
  using target = NetnsFd.open(netns);
  const original = NetnsFd.current();
  try {
    target.enter(netns);
  } catch (error) {
    original.close();
    throw error;
  }
  let back = false;
  return () => {
    if (back) return;
    back = true;
    try {
      original.enter();
    } catch (error) {
      // The thread would go on in the wrong namespace: never continue.
      throw new Error("Cannot return to the original network namespace", { cause: error });
    } finally {
      original.close();
    }
  };
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
