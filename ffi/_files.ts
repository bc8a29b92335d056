/**
 * What the system knows, read through libc without Deno's read permission:
 * files, links and directories (procfs, sysfs, `/run/netns`), and users and
 * groups by name through NSS (`getpwnam_r`, `getgrnam_r`).
 *
 * @module
 */

import { close, confirmed, cString, open, type PathLike, read, sym } from "./_libc.ts";

const O_RDONLY_CLOEXEC = 0x80000;
const O_DIRECTORY = 0x10000;
const decoder = new TextDecoder();

/**
 * `readlink(2)`: the link's target, or `-errno`.
 *
 * @param path The link.
 * @returns Its target, decoded as UTF-8.
 */
export function readLink(path: PathLike): string | number {
  const encoded = cString(path);
  const buffer = new Uint8Array(4096);
  const size = BigInt(buffer.byteLength);
  const r = confirmed(() => sym("readlink")(encoded, buffer, size));
  return r < 0 ? r : decoder.decode(buffer.subarray(0, r));
}

/** `sizeof(struct stat)` on x86_64 and aarch64 Linux; `st_ino` is the u64 at offset 8 on both. */
const STAT_SIZE = 144;
const ST_INO = 8;

/**
 * The inode number of an open file (`fstat(2)`'s `st_ino`), which names a
 * namespace file whatever path it was opened by.
 *
 * @param fd The descriptor.
 * @returns The inode, or `-errno`.
 */
export function inodeOf(fd: number): number {
  const stat = new Uint8Array(STAT_SIZE);
  const r = confirmed(() => sym("fstat")(fd, stat));
  return r < 0 ? r : Number(new DataView(stat.buffer).getBigUint64(ST_INO, true));
}

/**
 * Lists a directory with `getdents64(2)`, without "." and "..".
 *
 * @param path The directory.
 * @param decode Turns an entry's name into a string (UTF-8 by default).
 * @returns The entry names in the order the kernel gives them, or `-errno`.
 */
export function readDir(
  path: PathLike,
  decode: (bytes: Uint8Array) => string = (b) => decoder.decode(b),
): string[] | number {
  const fd = open(path, O_RDONLY_CLOEXEC | O_DIRECTORY);
  if (fd < 0) return fd;
  try {
    const buffer = new Uint8Array(32 * 1024);
    const view = new DataView(buffer.buffer);
    const size = BigInt(buffer.byteLength);
    const names: string[] = [];
    for (;;) {
      // getdents64 advances the directory offset on success only: safe to confirm.
      const n = confirmed(() => sym("getdents64")(fd, buffer, size));
      if (n < 0) return n;
      if (n === 0) return names;
      // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
      for (let at = 0; at < n;) {
        const length = view.getUint16(at + 16, true);
        let end = at + 19;
        while (end < at + length && buffer[end] !== 0) end++;
        const name = decode(buffer.subarray(at + 19, end));
        if (name !== "." && name !== "..") names.push(name);
        at += length;
      }
    }
  } finally {
    close(fd);
  }
}

/**
 * Reads a small file (procfs, sysfs) whole.
 *
 * @param path The file.
 * @param limit The most bytes to read.
 * @returns Its bytes, or `-errno`.
 */
export function readSmallFile(path: PathLike, limit = 4096): Uint8Array | number {
  const fd = open(path, O_RDONLY_CLOEXEC);
  if (fd < 0) return fd;
  try {
    const buffer = new Uint8Array(limit);
    let size = 0;
    while (size < limit) {
      const n = read(fd, buffer.subarray(size));
      if (n < 0) return n;
      if (n === 0) break;
      size += n;
    }
    return buffer.slice(0, size);
  } finally {
    close(fd);
  }
}

const ERANGE = 34;
const PASSWD_SIZE = 48; // struct passwd on LP64
const GROUP_SIZE = 32; // struct group on LP64
const ID_OFFSET = 16; // pw_uid and gr_gid

function lookupId(
  call: (name: Uint8Array, entry: Uint8Array, buf: Uint8Array, result: Uint8Array) => number,
  name: string,
  entrySize: number,
): number | undefined {
  const encoded = cString(name);
  const entry = new Uint8Array(entrySize);
  const result = new BigUint64Array(1);
  for (let size = 1024; size <= 1 << 20; size *= 4) {
    const r = call(encoded, entry, new Uint8Array(size), new Uint8Array(result.buffer));
    if (r === ERANGE) continue;
    if (r !== 0) return -r;
    if (result[0] === 0n) return undefined;
    return new DataView(entry.buffer).getUint32(ID_OFFSET, true);
  }
  return -ERANGE;
}

/**
 * Looks up a user through NSS (`getpwnam_r`): the uid, `undefined` when there
 * is no such user, or `-errno` when the lookup itself failed.
 */
export function userId(name: string): number | undefined {
  return lookupId(
    (n, e, b, r) => sym("getpwnam_r")(n, e, b, BigInt(b.byteLength), r),
    name,
    PASSWD_SIZE,
  );
}

/**
 * Looks up a group through NSS (`getgrnam_r`): the gid, `undefined` when
 * there is no such group, or `-errno` when the lookup itself failed.
 */
export function groupId(name: string): number | undefined {
  return lookupId(
    (n, e, b, r) => sym("getgrnam_r")(n, e, b, BigInt(b.byteLength), r),
    name,
    GROUP_SIZE,
  );
}
