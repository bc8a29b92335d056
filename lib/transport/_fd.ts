/**
 * The owner of one file descriptor.
 *
 * @module
 */

import * as libc from "../ffi/mod.ts";

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
