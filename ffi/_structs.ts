/**
 * Byte layouts of the C structs passed to libc: `struct ifreq` and
 * `struct sockaddr_nl` (LP64 Linux, host byte order = little endian on every
 * architecture Deno runs on).
 *
 * @module
 */

/** `sizeof(struct ifreq)` on 64-bit Linux. */
export const IFREQ_SIZE = 40;
/** `IFNAMSIZ`: interface names are at most 15 bytes plus a NUL. */
export const IFNAMSIZ = 16;
/** `sizeof(struct sockaddr_nl)`. */
export const SOCKADDR_NL_SIZE = 12;

const AF_NETLINK = 16;

/**
 * Builds a zeroed `struct ifreq` holding the name `name` (at most 15 bytes,
 * no NUL) and the 16-bit `ifr_flags`.
 */
export function encodeIfreq(name: Uint8Array, flags: number): Uint8Array<ArrayBuffer> {
  if (name.byteLength >= IFNAMSIZ || name.includes(0)) {
    throw new RangeError(
      `Cannot encode interface name: it is ${name.byteLength} bytes${
        name.includes(0) ? " with a NUL" : ""
      }, the limit is ${IFNAMSIZ - 1} without NUL`,
    );
  }
  const buffer = new Uint8Array(IFREQ_SIZE);
  buffer.set(name, 0);
  new DataView(buffer.buffer).setUint16(IFNAMSIZ, flags & 0xffff, true);
  return buffer;
}

/** The interface name in a `struct ifreq`, up to its first NUL, as bytes. */
export function ifreqName(ifreq: Uint8Array): Uint8Array {
  const limit = Math.min(IFNAMSIZ, ifreq.byteLength);
  let end = 0;
  while (end < limit && ifreq[end] !== 0) end++;
  return ifreq.slice(0, end);
}

/** The unsigned 16-bit `ifr_flags` of a `struct ifreq`. */
export function ifreqFlags(ifreq: Uint8Array): number {
  return new DataView(ifreq.buffer, ifreq.byteOffset, ifreq.byteLength).getUint16(
    IFNAMSIZ,
    true,
  );
}

/** Builds a `struct sockaddr_nl` for port id `pid` and multicast `groups`. */
export function encodeSockaddrNl(pid = 0, groups = 0): Uint8Array<ArrayBuffer> {
  const buffer = new Uint8Array(SOCKADDR_NL_SIZE);
  const view = new DataView(buffer.buffer);
  view.setUint16(0, AF_NETLINK, true);
  view.setUint32(4, pid >>> 0, true);
  view.setUint32(8, groups >>> 0, true);
  return buffer;
}

/** The port id (`nl_pid`) of a `struct sockaddr_nl`. */
export function sockaddrNlPid(address: Uint8Array): number {
  return new DataView(address.buffer, address.byteOffset, address.byteLength).getUint32(4, true);
}
