/**
 * Waiting for descriptors without blocking the event loop: `poll` runs on a
 * thread of Deno's pool (the one `nonblocking` FFI symbol) over the
 * descriptors and an eventfd of its own, so that {@linkcode Waiter.wake}
 * ends a pending wait at once. Closing a descriptor does not wake a `poll`
 * that waits on it; writing the eventfd does.
 *
 * @module
 */

import * as io from "../../ffi/_io.ts";
import * as libc from "../../ffi/_libc.ts";
import { EFD_CLOEXEC, EFD_NONBLOCK, OwnedFd, POLLIN, SyscallError } from "./_syscall.ts";

/** `sizeof(struct pollfd)`. */
const POLLFD = 8;
const ONE = new BigUint64Array([1n]);
const ONE_BYTES = new Uint8Array(ONE.buffer);
const COUNTER = 8n;

/** An eventfd: a counter a writer bumps to wake a poller. */
class EventFd extends OwnedFd {
  static open(): EventFd {
    const fd = io.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0) throw new SyscallError(-fd, "eventfd");
    return new EventFd(fd);
  }

  /** Adds 1 to the counter: a poll on it returns. */
  bump(): void {
    io.write(this.fd, ONE_BYTES, COUNTER);
  }

  /** Resets the counter to 0. */
  drain(): void {
    const scratch = new Uint8Array(8);
    libc.read(this.fd, scratch, COUNTER);
  }
}

/**
 * How a wait ended: the descriptor is ready, the waiter was woken, or the
 * time passed (or a signal interrupted the wait: wait again).
 */
export type WaitResult = "ready" | "woken" | "timeout";

/**
 * Waits for one descriptor to be ready, on a pool thread; a wake-up from
 * this thread (or an abort, or `close()`) ends the wait at once. One wait
 * at a time.
 */
export class Waiter implements Disposable {
  readonly #event: EventFd;
  readonly #fds = new Uint8Array(2 * POLLFD);
  readonly #view = new DataView(this.#fds.buffer);
  #pending: Promise<number> | undefined;
  #closed = false;
  #afterClose: (() => void) | undefined;
  /**
   * Ends the pending wait at once, from {@linkcode close} (not when its poll
   * returns). One per wait, dropped when it ends: a promise that lived as
   * long as the waiter would keep a reaction for every wait ever made.
   */
  #endWait: (() => void) | undefined;

  /**
   * Creates a waiter.
   *
   * @throws {SyscallError} When the eventfd cannot be made.
   */
  constructor() {
    this.#event = EventFd.open();
    this.#view.setInt32(POLLFD, this.#event.fd, true);
    this.#view.setInt16(POLLFD + 4, POLLIN, true);
  }

  /** Whether a wait is in progress. */
  get waiting(): boolean {
    return this.#pending !== undefined;
  }

  /**
   * Waits until `fd` has one of `events`, the waiter is woken, or the
   * timeout passes.
   *
   * @param fd The descriptor.
   * @param events `POLLIN`, `POLLOUT`.
   * @param timeoutMs How long at most; -1 for ever.
   * @returns How the wait ended; with "ready", {@linkcode revents} says what.
   */
  async wait(fd: number, events: number, timeoutMs = -1): Promise<WaitResult> {
    if (this.#closed) return "woken";
    if (this.#pending !== undefined) throw new Error("Cannot wait: a wait is already in progress");
    this.#view.setInt32(0, fd, true);
    this.#view.setInt16(4, events, true);
    this.#view.setInt16(6, 0, true);
    this.#view.setInt16(POLLFD + 6, 0, true);
    const pending = io.pollWait(this.#fds, 2, timeoutMs);
    this.#pending = pending;
    // Runs before the wait goes on (it was registered first).
    const settled = () => {
      this.#pending = undefined;
      if (this.#closed) this.#release();
    };
    pending.then(settled, settled);
    // close() ends the wait at once; the poll thread returns a little later
    // (woken by the eventfd), and only then are the descriptors closed.
    const ended = new Promise<number>((resolve) => this.#endWait = () => resolve(0));
    let n: number;
    try {
      n = await Promise.race([pending, ended]);
    } finally {
      this.#endWait = undefined;
    }
    if (this.#closed) return "woken";
    if (this.#view.getInt16(POLLFD + 6, true) !== 0) {
      this.#event.drain();
      return "woken";
    }
    // -1: a signal interrupted the pool thread's poll (errno belongs to that
    // thread; with these arguments EINTR is the only failure): wait again.
    return n > 0 ? "ready" : "timeout";
  }

  /** The events `poll` reported for the descriptor after a "ready" wait. */
  get revents(): number {
    return this.#view.getInt16(6, true) & 0xffff;
  }

  /**
   * Ends a pending wait (it returns "woken" once the poll thread sees the
   * eventfd); without one, the next wait returns at once.
   */
  wake(): void {
    if (!this.#closed) this.#event.bump();
  }

  /**
   * Ends a pending wait at once (it returns "woken" in the next microtask),
   * wakes its poll thread, and closes the eventfd once no poll uses it.
   *
   * @param then Runs once no poll uses the descriptors any more (at once,
   *   or when the pending wait returns): the place to close them, so that
   *   their numbers are not reused while a poll still names them.
   */
  close(then?: () => void): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#afterClose = then;
    if (this.#pending === undefined) this.#release();
    else this.#event.bump();
    this.#endWait?.();
  }

  #release(): void {
    this.#event.close();
    const then = this.#afterClose;
    this.#afterClose = undefined;
    then?.();
  }

  /** Closes the waiter (see {@linkcode close}). */
  [Symbol.dispose](): void {
    this.close();
  }
}
