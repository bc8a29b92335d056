/**
 * What transport is made of: the failure it reports ({@linkcode SyscallError}:
 * errno, call and the kernel's own text, no user wording; the public
 * operation words it once, see `lib/_boundary.ts`), the owner of a
 * descriptor ({@linkcode OwnedFd}), the flag values of its calls, and the
 * short pause of its bounded retries.
 *
 * @module
 */

import * as libc from "../../ffi/_libc.ts";

/** A failed system call or kernel request. */
export class SyscallError extends Error {
  /** The errno value (positive). */
  readonly errno: number;
  /** The call, named as iproute2 names it: `open`, `ioctl(TUNSETIFF)`, `RTM_SETLINK`, …. */
  readonly syscall: string;
  /** The kernel's extended-ack text, for rtnetlink requests. */
  readonly extack: string | undefined;
  /**
   * The failure in words, where no errno text says it: a device that does
   * not exist, a reply that cannot be decoded.
   */
  readonly detail: string | undefined;
  /**
   * What transport knows about the cause (the answer could not be decoded,
   * no answer came): a hint when the hint table has none.
   */
  readonly explanation: string | undefined;

  /**
   * Creates the error.
   *
   * @param errno The errno value.
   * @param syscall The call.
   * @param options The kernel's text, the failure in words, what is known of the cause.
   */
  constructor(
    errno: number,
    syscall: string,
    options: {
      extack?: string | undefined;
      detail?: string | undefined;
      explanation?: string | undefined;
      cause?: unknown;
    } = {},
  ) {
    super(options.detail ?? `${syscall} failed with errno ${errno}`, { cause: options.cause });
    this.name = "SyscallError";
    this.errno = errno;
    this.syscall = syscall;
    this.extack = options.extack;
    this.detail = options.detail;
    this.explanation = options.explanation;
  }
}

/** Owns a descriptor: closes it once, on `close()` or at the end of a `using` block. */
export abstract class OwnedFd implements Disposable {
  #fd: number;

  /**
   * Takes ownership of `fd`.
   *
   * @param fd An open descriptor.
   */
  protected constructor(fd: number) {
    this.#fd = fd;
  }

  /** The descriptor; -1 once closed. */
  get fd(): number {
    return this.#fd;
  }

  /** Closes the descriptor; closing twice does nothing. */
  close(): void {
    if (this.#fd >= 0) {
      libc.close(this.#fd);
      this.#fd = -1;
    }
  }

  /** Closes the descriptor. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** `open` flag: read only. */
export const O_RDONLY = 0;
/** `open` flag: read and write. */
export const O_RDWR = 2;
/** `open` flag: non-blocking. */
export const O_NONBLOCK = 0x800;
/** `open` flag: close on exec. */
export const O_CLOEXEC = 0x80000;

/** `poll` event: data to read. */
export const POLLIN = 0x1;
/** `poll` event: room to write. */
export const POLLOUT = 0x4;

/** `eventfd` flag: non-blocking. */
export const EFD_NONBLOCK = 0x800;
/** `eventfd` flag: close on exec. */
export const EFD_CLOEXEC = 0x80000;

/** `setns` type: network namespace. */
export const CLONE_NEWNET = 0x40000000;

const cell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks the calling thread for `ms` milliseconds (no promise: the
 * operations that retry are synchronous).
 *
 * @param ms How long.
 */
export function sleepMs(ms: number): void {
  Atomics.wait(cell, 0, 0, ms);
}
