/**
 * Thin wrappers over libc. Each returns the call's result, or `-errno` when
 * the call failed; errno is read in the statement right after the call.
 *
 * That alone is not enough: V8 itself can overwrite errno on this thread at
 * moments JavaScript does not choose. (Seen on Linux 6.18: abseil, inside V8,
 * reads /sys/devices/system/cpu/cpu0/tsc_freq_khz once, lazily, when a
 * spinlock is first contended, and leaves ENOENT behind where that file does
 * not exist.) So a failure is confirmed: calls whose failure has no side
 * effect are issued again, and an errno counts only when two consecutive
 * attempts agree. A one-time overwrite cannot hit both.
 *
 * libc is opened on first use, so importing this module needs no permission.
 *
 * @module
 */

import { LIBC_SYMBOLS, type LibcSymbols } from "./_symbols.ts";

/** Sonames tried in order: glibc, then musl. */
const LIBC_NAMES = ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1"];

/** The soname that loaded, once one has. */
let libcName: string | undefined;
let errnoView: Deno.UnsafePointerView | undefined;
/** Symbols bound so far: each is bound on its first use, as binding costs ~0.2 ms a symbol. */
const bound: Partial<Record<keyof LibcSymbols, unknown>> = {};

function loadFailure(error: unknown): Error {
  if (error instanceof Deno.errors.NotCapable) {
    return new Error("Cannot load libc: FFI access is not granted, run Deno with --allow-ffi", {
      cause: error,
    });
  }
  return new Error(`Cannot load libc: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}

/**
 * Finds libc, binding `__errno_location` (to read this thread's errno) along
 * with the first symbols asked for, in one `dlopen`.
 */
function initialize(first: Deno.ForeignLibraryInterface): void {
  if (Deno.build.os !== "linux") {
    throw new Error(
      `Cannot load libc: TUN/TAP devices exist only on Linux, this is ${Deno.build.os}`,
    );
  }
  let firstError: unknown;
  for (const name of LIBC_NAMES) {
    try {
      const { symbols } = Deno.dlopen(name, {
        ...first,
        __errno_location: LIBC_SYMBOLS.__errno_location,
      });
      const location = symbols.__errno_location();
      if (location === null) throw new Error("__errno_location returned NULL");
      errnoView = new Deno.UnsafePointerView(location);
      libcName = name;
      Object.assign(bound, symbols);
      return;
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable) throw loadFailure(error);
      firstError ??= error;
    }
  }
  throw loadFailure(firstError);
}

/**
 * Symbols bound together because they are used together: one `dlopen` of
 * five symbols is cheaper than five.
 */
const TOGETHER: readonly (readonly (keyof LibcSymbols)[])[] = [
  ["socket", "setsockopt", "sendto", "recv", "close"],
  ["open", "ioctlPtr", "ioctlVal", "close"],
  ["open", "read", "readlink", "getdents64", "fstat", "close"],
];

/** A libc symbol, bound on first use (with the symbols used along with it). */
function sym<K extends keyof LibcSymbols>(name: K): LibcSymbols[K] {
  if (Object.hasOwn(bound, name)) return bound[name] as LibcSymbols[K];
  const group = TOGETHER.find((names) => names.includes(name)) ?? [name];
  const wanted: Deno.ForeignLibraryInterface = Object.fromEntries(
    group.filter((n) => !Object.hasOwn(bound, n)).map((n) => [n, LIBC_SYMBOLS[n]]),
  );
  if (libcName === undefined) initialize(wanted);
  else Object.assign(bound, Deno.dlopen(libcName, wanted).symbols);
  return bound[name] as LibcSymbols[K];
}

/** errno of this thread; only meaningful right after a failing call. */
function errno(): number {
  // errnoView is set by initialize(), which ran before any symbol could be called.
  return (errnoView as Deno.UnsafePointerView).getInt32(0);
}

/** Attempts beyond the first to confirm an errno. */
const CONFIRMATIONS = 3;

/**
 * Runs a call whose failure changes nothing, and returns its result or a
 * confirmed `-errno`: on failure the call is made again, until two
 * consecutive failures agree on errno (see the module documentation).
 *
 * @param call The call; negative results are failures.
 * @param readErrno Reads errno right after a failure.
 * @returns The call's result, or `-errno`.
 */
export function confirmFailure(call: () => number, readErrno: () => number): number {
  const r = call();
  if (r >= 0) return r;
  let code = readErrno();
  for (let attempt = 0; attempt < CONFIRMATIONS; attempt++) {
    const again = call();
    if (again >= 0) return again;
    const next = readErrno();
    if (next === code) return -code;
    code = next;
  }
  return -code;
}

function confirmed(call: () => number): number {
  return confirmFailure(call, errno);
}

const encoder = new TextEncoder();

/**
 * A NUL-terminated C string: `text` as UTF-8, or the bytes given (which must
 * hold no NUL).
 */
export function cString(text: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof text === "string") return encoder.encode(`${text}\0`);
  const bytes = new Uint8Array(text.byteLength + 1);
  bytes.set(text);
  return bytes;
}

/** A path: a string (UTF-8) or its bytes. */
export type PathLike = string | Uint8Array;

/** `open(2)`: a new file descriptor, or `-errno`. */
export function open(path: PathLike, flags: number, mode = 0): number {
  const encoded = cString(path);
  return confirmed(() => sym("open")(encoded, flags, mode));
}

/** `close(2)`: 0, or `-errno`. */
export function close(fd: number): number {
  const r = sym("close")(fd);
  return r < 0 ? -errno() : r;
}

/** `read(2)` into `buffer`: bytes read, or `-errno`. */
export function read(fd: number, buffer: Uint8Array): number {
  const length = BigInt(buffer.byteLength);
  return confirmed(() => sym("read")(fd, buffer, length));
}

/** `write(2)` of `buffer`: bytes written, or `-errno`. */
export function write(fd: number, buffer: Uint8Array): number {
  const length = BigInt(buffer.byteLength);
  return confirmed(() => sym("write")(fd, buffer, length));
}

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

/** `ioctl(2)` whose argument is a pointer to `arg`: its result, or `-errno`. */
export function ioctlPtr(fd: number, request: bigint, arg: Uint8Array): number {
  return confirmed(() => sym("ioctlPtr")(fd, request, arg));
}

/** `ioctl(2)` whose argument is the integer `value` itself: its result, or `-errno`. */
export function ioctlVal(fd: number, request: bigint, value: bigint): number {
  return confirmed(() => sym("ioctlVal")(fd, request, value));
}

/** `socket(2)`: a new file descriptor, or `-errno`. */
export function socket(domain: number, type: number, protocol: number): number {
  return confirmed(() => sym("socket")(domain, type, protocol));
}

/** `bind(2)` to the socket address in `address`: 0, or `-errno`. */
export function bind(fd: number, address: Uint8Array): number {
  return confirmed(() => sym("bind")(fd, address, address.byteLength));
}

/**
 * `getsockname(2)` into `address`: the length the kernel reported, or
 * `-errno`.
 */
export function getsockname(fd: number, address: Uint8Array): number {
  const length = new Uint32Array([address.byteLength]);
  const r = confirmed(() => sym("getsockname")(fd, address, length));
  return r < 0 ? r : (length[0] as number);
}

/** `setsockopt(2)` with an `int` option value: 0, or `-errno`. */
export function setsockoptInt(
  fd: number,
  level: number,
  name: number,
  value: number,
): number {
  const option = new Int32Array([value]);
  return confirmed(() => sym("setsockopt")(fd, level, name, option, 4));
}

/** `setsockopt(2)` with a raw option value: 0, or `-errno`. */
export function setsockopt(
  fd: number,
  level: number,
  name: number,
  value: Uint8Array,
): number {
  return confirmed(() => sym("setsockopt")(fd, level, name, value, value.byteLength));
}

/** `sendto(2)` of `data` to `address`: bytes sent, or `-errno`. */
export function sendto(
  fd: number,
  data: Uint8Array,
  flags: number,
  address: Uint8Array,
): number {
  const length = BigInt(data.byteLength);
  return confirmed(() => sym("sendto")(fd, data, length, flags, address, address.byteLength));
}

/**
 * `recv(2)` into `buffer`: the datagram's length (which exceeds the buffer's
 * when `MSG_TRUNC` is passed and the datagram did not fit), or `-errno`.
 */
export function recv(fd: number, buffer: Uint8Array, flags: number): number {
  const length = BigInt(buffer.byteLength);
  const r = sym("recv")(fd, buffer, length, flags);
  // Not confirmed by a second call: a failed blocking recv already waited for
  // its timeout, and a second one would consume a datagram.
  return r < 0 ? -errno() : r;
}

/**
 * `poll(2)` on one descriptor: the `revents` bits, 0 on timeout, or `-errno`.
 */
export function pollOne(fd: number, events: number, timeoutMs: number): number {
  const pollfd = new Int32Array([fd, events & 0xffff]);
  const r = confirmed(() => sym("poll")(pollfd, 1n, timeoutMs));
  if (r < 0) return r;
  return r === 0 ? 0 : ((pollfd[1] as number) >>> 16);
}

/** `setns(2)`: 0, or `-errno`. */
export function setns(fd: number, nstype: number): number {
  return confirmed(() => sym("setns")(fd, nstype));
}

function readCString(pointer: Deno.PointerValue): string | undefined {
  return pointer === null ? undefined : Deno.UnsafePointerView.getCString(pointer);
}

/** The symbolic name of an errno value, such as `"EBUSY"`. */
export function errnoName(code: number): string {
  const strerrorname = sym("strerrorname_np");
  const name = strerrorname ? readCString(strerrorname(code)) : undefined;
  return name ?? `E${code}`;
}

/** libc's description of an errno value, such as `"Device or resource busy"`. */
export function errnoDescription(code: number): string {
  const strerrordesc = sym("strerrordesc_np");
  const text = strerrordesc ? readCString(strerrordesc(code)) : readCString(sym("strerror")(code));
  return text ?? `Unknown error ${code}`;
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
