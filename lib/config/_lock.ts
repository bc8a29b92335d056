/**
 * One `apply` at a time on a host: an advisory `flock` on
 * `/run/lock/tuntap-apply.lock` (global, not per namespace: one config may
 * name several namespaces). The holder writes its pid into the file, so a
 * refused run can say who holds it. The kernel drops the lock when its
 * holder exits, killed or not, so a crash never leaves it held.
 *
 * @module
 */

import { write } from "../../ffi/_io.ts";
import * as libc from "../../ffi/_libc.ts";
import { EAGAIN, EINTR } from "../_errno.ts";
import { O_CLOEXEC, O_RDWR, OwnedFd, SyscallError } from "../transport/_syscall.ts";

/** Where the lock is. */
export const LOCK_PATH = "/run/lock/tuntap-apply.lock";
const O_CREAT = 0x40;
const LOCK_EX = 2;
const LOCK_NB = 4;

/** The lock, held until closed. */
export class ApplyLock extends OwnedFd {
  /**
   * Takes the lock, waiting up to `waitSeconds` for another holder.
   *
   * @param waitSeconds How long to wait (0: not at all).
   * @param path The lock file.
   * @returns The lock.
   * @throws {SyscallError} EAGAIN, explained with the holder's pid, when it
   *   is still held after the wait; another errno when the file cannot be
   *   opened.
   */
  static async take(waitSeconds: number, path: string = LOCK_PATH): Promise<ApplyLock> {
    const fd = libc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644);
    if (fd < 0) throw new SyscallError(-fd, "open", { explanation: `of ${path}` });
    const lock = new ApplyLock(fd);
    try {
      const deadline = performance.now() + waitSeconds * 1000;
      for (;;) {
        const r = libc.flock(fd, LOCK_EX | LOCK_NB);
        if (r === 0) break;
        if (r !== -EAGAIN && r !== -EINTR) throw new SyscallError(-r, "flock");
        if (performance.now() >= deadline) {
          const holder = lock.#holder();
          throw new SyscallError(EAGAIN, "flock", {
            detail: `another apply is running${holder === undefined ? "" : ` (pid ${holder})`}`,
            explanation: waitSeconds > 0
              ? `it still held ${path} after ${waitSeconds} s`
              : `wait for it with --wait SECONDS`,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      libc.ftruncate(fd, 0);
      const pid = new TextEncoder().encode(`${Deno.pid}\n`);
      write(fd, pid);
      return lock;
    } catch (error) {
      lock.close();
      throw error;
    }
  }

  #holder(): number | undefined {
    const buffer = new Uint8Array(32);
    const n = libc.read(this.fd, buffer);
    const text = n > 0 ? new TextDecoder().decode(buffer.subarray(0, n)).trim() : "";
    return /^\d+$/.test(text) ? Number(text) : undefined;
  }
}
