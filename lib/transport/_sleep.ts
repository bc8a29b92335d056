/**
 * Pausing the calling thread, for the short, bounded waits of retries.
 *
 * @module
 */

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
