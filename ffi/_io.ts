/**
 * Packet I/O on non-blocking descriptors: `write` that tells "not ready"
 * (EAGAIN) at once, as `read` does, an eventfd to wake a waiter, and `poll`
 * run on a thread of Deno's pool so that waiting does not block the event
 * loop.
 *
 * @module
 */

import { confirmed, errno, sym, transferFailure } from "./_libc.ts";

/**
 * `write(2)` of `buffer`: bytes written, or `-errno` (`-EAGAIN` when a
 * non-blocking descriptor has no room), with errno handled as
 * {@linkcode read} handles it.
 *
 * @param fd The descriptor.
 * @param buffer What to write.
 * @param length How many bytes, as a BigInt (see {@linkcode read}).
 */
export function write(fd: number, buffer: Uint8Array, length = BigInt(buffer.byteLength)): number {
  const call = sym("write");
  const r = call(fd, buffer, length);
  return r >= 0 ? r : transferFailure(errno(), () => call(fd, buffer, length));
}

/**
 * The packet path: `read(2)` and `write(2)` of memory whose address is
 * known (a `NativeBuffer`), which Deno passes faster than a
 * typed array. Each returns bytes or `-errno` as {@linkcode read} does.
 */
export interface PacketCalls {
  /** Reads into `size` bytes at `address` (a BigInt the caller keeps: the size rarely changes). */
  readAt(fd: number, address: Deno.PointerValue, size: bigint): number;
  /** Writes `size` bytes at `address`. */
  writeAt(fd: number, address: Deno.PointerValue, size: number): number;
  /** Writes `bytes` (any typed array: Deno passes it without a copy). */
  writeBytes(fd: number, bytes: Uint8Array): number;
}

/**
 * Binds the packet path (once per process; later calls return the same).
 *
 * @returns The calls.
 */
export function packetCalls(): PacketCalls {
  if (calls !== undefined) return calls;
  // The size goes as a BigInt: a number where the symbol declares a usize is
  // accepted, but takes Deno off its fast call path (measured: 690 ns a call
  // instead of 200 ns; a BigInt made per call costs nothing measurable).
  const readPtr = sym("readPtr");
  const writePtr = sym("writePtr");
  const writeBuffer = sym("write");
  calls = {
    readAt(fd, address, size) {
      const r = readPtr(fd, address, size);
      return r >= 0 ? r : transferFailure(errno(), () => readPtr(fd, address, size));
    },
    writeAt(fd, address, size) {
      const length = BigInt(size);
      const r = writePtr(fd, address, length);
      return r >= 0 ? r : transferFailure(errno(), () => writePtr(fd, address, length));
    },
    writeBytes(fd, bytes) {
      const length = BigInt(bytes.byteLength);
      const r = writeBuffer(fd, bytes, length);
      return r >= 0 ? r : transferFailure(errno(), () => writeBuffer(fd, bytes, length));
    },
  };
  return calls;
}
let calls: PacketCalls | undefined;

/**
 * `eventfd(2)`: a new descriptor, or `-errno`.
 *
 * @param initval The counter's first value.
 * @param flags `EFD_NONBLOCK`, `EFD_CLOEXEC`.
 */
export function eventfd(initval: number, flags: number): number {
  return confirmed(() => sym("eventfd")(initval, flags));
}

/**
 * `poll(2)` on a thread of Deno's pool, so the event loop goes on: resolves
 * with how many descriptors are ready, 0 on timeout, or -1 on failure (errno
 * cannot be read: it belongs to the other thread). `revents` are written
 * into `fds`, which must not be touched until the promise settles.
 *
 * @param fds `struct pollfd` entries (see {@linkcode poll}).
 * @param count How many entries.
 * @param timeoutMs How long to wait; -1 for ever.
 */
export function pollWait(fds: Uint8Array, count: number, timeoutMs: number): Promise<number> {
  return sym("pollWait")(fds, BigInt(count), timeoutMs);
}
