/**
 * The libc symbols this package binds, with their C prototypes; thin
 * wrappers over them; and the byte layouts of the C structs they pass
 * (`struct ifreq`, `struct sockaddr_nl`, `struct pollfd`). Reading files and
 * NSS is `_files.ts`; packet I/O is `_io.ts`.
 *
 * Each call returns its result, or `-errno` when it failed; errno is read in
 * the statement right after the call. Every symbol but `pollWait` runs on
 * the calling thread, so errno can be read right after it and `setns`
 * switches the thread that then opens the descriptors. `pollWait` is `poll`
 * declared `nonblocking`: it runs on a thread of Deno's pool and returns a
 * promise, so a program can wait for a descriptor without blocking the
 * event loop; its errno is never read (it lives on that other thread), only
 * its result and `revents`. `ssize_t` results are declared `i32` (sizes here
 * stay far below 2 GiB, and -1 keeps its value): an `isize` result would be
 * a BigInt, allocated between the call and the errno read. `sendto` and
 * `recv`, which every command binds first, take `pointer`s (memory whose
 * address is taken once, a {@linkcode NativeBuffer}) rather than
 * `buffer`s: binding a `buffer` parameter costs about twice as much, and
 * each process start pays for it.
 *
 * That alone is not enough: V8 itself can overwrite errno on this thread at
 * moments JavaScript does not choose. (Seen on Linux 6.18: abseil, inside V8,
 * reads /sys/devices/system/cpu/cpu0/tsc_freq_khz once, lazily, when a
 * spinlock is first contended, and leaves ENOENT behind where that file does
 * not exist.) So a failure is confirmed: calls whose failure has no side
 * effect are issued again, and an errno counts only when two consecutive
 * attempts agree. A one-time overwrite cannot hit both. `read` and `write`
 * report EAGAIN ("not ready") at once, unconfirmed.
 *
 * libc is opened on first use, and each symbol is bound when first called,
 * so importing this module needs no permission and binds nothing.
 *
 * @module
 */

/** libc symbols, typed for `Deno.dlopen`. */
export const LIBC_SYMBOLS = {
  // int open(const char *pathname, int flags, mode_t mode);
  open: { parameters: ["buffer", "i32", "u32"], result: "i32" },
  // int close(int fd);
  close: { parameters: ["i32"], result: "i32" },
  // ssize_t read(int fd, void *buf, size_t count);
  read: { parameters: ["i32", "buffer", "usize"], result: "i32" },
  // ssize_t write(int fd, const void *buf, size_t count);
  write: { parameters: ["i32", "buffer", "usize"], result: "i32" },
  // ssize_t read(int fd, void *buf, size_t count);   (into memory whose address is known)
  readPtr: { name: "read", parameters: ["i32", "pointer", "usize"], result: "i32" },
  // ssize_t write(int fd, const void *buf, size_t count);   (from such memory)
  writePtr: { name: "write", parameters: ["i32", "pointer", "usize"], result: "i32" },
  // ssize_t readlink(const char *path, char *buf, size_t size);
  readlink: { parameters: ["buffer", "buffer", "usize"], result: "i32" },
  // int fstat(int fd, struct stat *statbuf);   (glibc >= 2.33)
  fstat: { parameters: ["i32", "buffer"], result: "i32" },
  // ssize_t getdents64(int fd, void *dirp, size_t count);   (glibc >= 2.30)
  getdents64: { parameters: ["i32", "buffer", "usize"], result: "i32" },
  // int ioctl(int fd, unsigned long request, void *argp);
  // (TUNSETIFF, TUNGETIFF, TUNGETFEATURES, TUNSETQUEUE, TUNSETIFINDEX)
  ioctlPtr: { name: "ioctl", parameters: ["i32", "u64", "buffer"], result: "i32" },
  // int ioctl(int fd, unsigned long request, unsigned long value);
  // (TUNSETPERSIST, TUNSETOWNER, TUNSETGROUP, TUNSETOFFLOAD)
  ioctlVal: { name: "ioctl", parameters: ["i32", "u64", "u64"], result: "i32" },
  // int socket(int domain, int type, int protocol);
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  // int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  // int setsockopt(int sockfd, int level, int optname, const void *optval,
  //                socklen_t optlen);
  setsockopt: {
    parameters: ["i32", "i32", "i32", "buffer", "u32"],
    result: "i32",
  },
  // ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
  //                const struct sockaddr *dest_addr, socklen_t addrlen);
  sendto: {
    parameters: ["i32", "pointer", "usize", "i32", "pointer", "u32"],
    result: "i32",
  },
  // ssize_t recv(int sockfd, void *buf, size_t len, int flags);
  recv: { parameters: ["i32", "pointer", "usize", "i32"], result: "i32" },
  // int poll(struct pollfd *fds, nfds_t nfds, int timeout);
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32" },
  // int poll(struct pollfd *fds, nfds_t nfds, int timeout);   (on a pool thread)
  pollWait: {
    name: "poll",
    parameters: ["buffer", "u64", "i32"],
    result: "i32",
    nonblocking: true,
  },
  // int eventfd(unsigned int initval, int flags);
  eventfd: { parameters: ["u32", "i32"], result: "i32" },
  // int flock(int fd, int operation);
  flock: { parameters: ["i32", "i32"], result: "i32" },
  // int ftruncate(int fd, off_t length);
  ftruncate: { parameters: ["i32", "i64"], result: "i32" },
  // int setns(int fd, int nstype);
  setns: { parameters: ["i32", "i32"], result: "i32" },
  // int *__errno_location(void);
  __errno_location: { parameters: [], result: "pointer" },
  // int getpwnam_r(const char *name, struct passwd *pwd, char *buf,
  //                size_t buflen, struct passwd **result);
  getpwnam_r: {
    parameters: ["buffer", "buffer", "buffer", "usize", "buffer"],
    result: "i32",
  },
  // int getgrnam_r(const char *name, struct group *grp, char *buf,
  //                size_t buflen, struct group **result);
  getgrnam_r: {
    parameters: ["buffer", "buffer", "buffer", "usize", "buffer"],
    result: "i32",
  },
} as const satisfies Deno.ForeignLibraryInterface;

/** The bound symbols, as `Deno.dlopen` returns them. */
export type LibcSymbols = Deno.DynamicLibrary<typeof LIBC_SYMBOLS>["symbols"];

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
 * several symbols is cheaper than one each. (`setsockopt` is bound on its
 * own: a socket that only dumps never calls it.)
 */
const TOGETHER: readonly (readonly (keyof LibcSymbols)[])[] = [
  ["socket", "sendto", "recv", "close"],
  ["open", "ioctlPtr", "ioctlVal", "close"],
  ["open", "read", "readlink", "getdents64", "fstat", "close"],
  ["read", "write", "poll", "pollWait", "eventfd", "close"],
  ["readPtr", "writePtr", "write", "pollWait", "eventfd", "read", "close"],
  ["open", "flock", "ftruncate", "read", "write", "close"],
];

/** A libc symbol, bound on first use (with the symbols used along with it). */
export function sym<K extends keyof LibcSymbols>(name: K): LibcSymbols[K] {
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
export function errno(): number {
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
  return r >= 0 ? r : confirmErrno(readErrno(), call, readErrno);
}

/** Runs a failed call again until two consecutive failures agree on errno. */
function confirmErrno(code: number, again: () => number, readErrno: () => number): number {
  for (let attempt = 0; attempt < CONFIRMATIONS; attempt++) {
    const r = again();
    if (r >= 0) return r;
    const next = readErrno();
    if (next === code) return -code;
    code = next;
  }
  return -code;
}

/**
 * Runs a call whose failure changes nothing; a failure is confirmed (see
 * {@linkcode confirmFailure}).
 *
 * @param call The call.
 * @returns Its result, or a confirmed `-errno`.
 */
export function confirmed(call: () => number): number {
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

/**
 * Memory with its address taken once, for the `pointer` parameters of
 * `sendto` and `recv` (see the module documentation): an `ArrayBuffer`'s bytes never
 * move, so the address stays valid as long as this object lives, and a call
 * costs no conversion. (Taking an address costs ~0.3 µs, and more for a
 * small typed array that V8 keeps inside its heap; doing it per call also
 * makes the process grow.)
 */
export class NativeBuffer {
  /** The bytes. */
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** Their address. */
  readonly address: Deno.PointerValue;
  /** Their length, as the `usize` the symbols take. */
  readonly size: bigint;

  /**
   * Allocates zeroed memory.
   *
   * @param size How many bytes.
   */
  constructor(size: number) {
    this.bytes = new Uint8Array(new ArrayBuffer(size));
    this.address = Deno.UnsafePointer.of(this.bytes);
    this.size = BigInt(size);
  }

  /**
   * Memory holding a copy of `bytes`.
   *
   * @param bytes The contents.
   * @returns The memory.
   */
  static of(bytes: Uint8Array): NativeBuffer {
    const memory = new NativeBuffer(bytes.byteLength);
    memory.bytes.set(bytes);
    return memory;
  }
}

/** A path: a string (UTF-8) or its bytes. */
export type PathLike = string | Uint8Array;

/** `open(2)`: a new file descriptor, or `-errno`. */
export function open(path: PathLike, flags: number, mode = 0): number {
  return openCString(cString(path), flags, mode);
}

/**
 * `open(2)` of a path already made a C string by {@linkcode cString} (for a
 * path opened again and again): a new file descriptor, or `-errno`.
 */
export function openCString(path: Uint8Array<ArrayBuffer>, flags: number, mode = 0): number {
  return confirmed(() => sym("open")(path, flags, mode));
}

/** `close(2)`: 0, or `-errno`. */
export function close(fd: number): number {
  const r = sym("close")(fd);
  return r < 0 ? -errno() : r;
}

/**
 * `poll(2)` on the calling thread: how many descriptors are ready, 0 on
 * timeout, or `-errno`. `revents` are written into `fds`.
 *
 * @param fds `struct pollfd` entries: `fd` (i32), `events` (i16),
 *   `revents` (i16), 8 bytes each.
 * @param count How many entries.
 * @param timeoutMs How long to wait; -1 for ever.
 */
export function poll(fds: Uint8Array, count: number, timeoutMs: number): number {
  return confirmed(() => sym("poll")(fds, BigInt(count), timeoutMs));
}

const EAGAIN = 11;

/**
 * `read(2)` into `buffer`: bytes read, or `-errno` (`-EAGAIN` when a
 * non-blocking descriptor has nothing). EAGAIN, the common case of a
 * drained queue, is reported at once (a wrong one would only cost a
 * spurious wait); any other failure is confirmed as
 * {@linkcode confirmFailure} does, since a failed read changes nothing.
 *
 * @param fd The descriptor.
 * @param buffer Where to read.
 * @param length How many bytes at most, as the BigInt the symbol takes
 *   (pass one made once: converting a Number costs more than the call).
 */
export function read(fd: number, buffer: Uint8Array, length = BigInt(buffer.byteLength)): number {
  const call = sym("read");
  const r = call(fd, buffer, length);
  return r >= 0 ? r : transferFailure(errno(), () => call(fd, buffer, length));
}

/**
 * The result of a failed read or write, given the errno read right after
 * it: EAGAIN as is, anything else confirmed by running `again` (a failed
 * read or write changes nothing).
 *
 * @param code errno after the failure.
 * @param again Runs the call again.
 * @returns `-errno`.
 */
export function transferFailure(code: number, again: () => number): number {
  return code === EAGAIN ? -EAGAIN : confirmErrno(code, again, errno);
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

/** `sendto(2)` of the first `length` bytes of `data` to `address`: bytes sent, or `-errno`. */
export function sendto(
  fd: number,
  data: NativeBuffer,
  length: number,
  flags: number,
  address: NativeBuffer,
): number {
  const size = BigInt(length);
  const call = sym("sendto");
  return confirmed(() =>
    call(fd, data.address, size, flags, address.address, address.bytes.byteLength)
  );
}

/**
 * `recv(2)` into `buffer`: the datagram's length (which exceeds the buffer's
 * when `MSG_TRUNC` is passed and the datagram did not fit), or `-errno`.
 */
export function recv(fd: number, buffer: NativeBuffer, flags: number): number {
  const r = sym("recv")(fd, buffer.address, buffer.size, flags);
  // Not confirmed by a second call: a failed blocking recv already waited for
  // its timeout, and a second one would consume a datagram.
  return r < 0 ? -errno() : r;
}

/** `setns(2)`: 0, or `-errno`. */
export function setns(fd: number, nstype: number): number {
  return confirmed(() => sym("setns")(fd, nstype));
}

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

/**
 * Fills `ifreq` (at least {@linkcode IFREQ_SIZE} bytes, reused between
 * calls) as {@linkcode encodeIfreq} builds one, without allocating when the
 * name is ASCII: the bytes of an ASCII string are its code units.
 *
 * @param ifreq The memory to fill.
 * @param name The name: a string whose UTF-8 is at most 15 bytes, no NUL.
 * @param encode Encodes a name that is not ASCII.
 * @param flags The 16-bit `ifr_flags`.
 */
export function fillIfreq(
  ifreq: Uint8Array,
  name: string,
  encode: (name: string) => Uint8Array,
  flags: number,
): void {
  let ascii = name.length < IFNAMSIZ;
  for (let i = 0; ascii && i < name.length; i++) {
    const unit = name.charCodeAt(i);
    if (unit === 0 || unit >= 0x80) ascii = false;
    else ifreq[i] = unit;
  }
  if (ascii) ifreq.fill(0, name.length, IFREQ_SIZE);
  else ifreq.set(encodeIfreq(encode(name), 0).subarray(0, IFREQ_SIZE));
  ifreq[IFNAMSIZ] = flags & 0xff;
  ifreq[IFNAMSIZ + 1] = (flags >> 8) & 0xff;
}

/** The interface name in a `struct ifreq`, up to its first NUL, as bytes. */
export function ifreqName(ifreq: Uint8Array): Uint8Array {
  const limit = Math.min(IFNAMSIZ, ifreq.byteLength);
  let end = 0;
  while (end < limit && ifreq[end] !== 0) end++;
  return ifreq.slice(0, end);
}

/** Builds a `struct sockaddr_nl` for port id `pid` and multicast `groups`. */
export function encodeSockaddrNl(pid = 0, groups = 0): NativeBuffer {
  const address = new NativeBuffer(SOCKADDR_NL_SIZE);
  const view = new DataView(address.bytes.buffer);
  view.setUint16(0, AF_NETLINK, true);
  view.setUint32(4, pid >>> 0, true);
  view.setUint32(8, groups >>> 0, true);
  return address;
}

/**
 * `flock(2)`: 0, or `-errno` (`-EWOULDBLOCK` for a held lock with `LOCK_NB`).
 *
 * @param fd The descriptor.
 * @param operation `LOCK_EX`, `LOCK_NB`, `LOCK_UN`.
 */
export function flock(fd: number, operation: number): number {
  const call = sym("flock");
  const r = call(fd, operation);
  return r >= 0 ? r : transferFailure(errno(), () => call(fd, operation));
}

/**
 * `ftruncate(2)`: 0, or `-errno`.
 *
 * @param fd The descriptor.
 * @param length The new length.
 */
export function ftruncate(fd: number, length: number): number {
  return confirmed(() => sym("ftruncate")(fd, BigInt(length)));
}

/** `open` flag: a descriptor that only names the file (no permission on it, no driver's open). */
const O_PATH = 0x200000;
const O_CLOEXEC = 0x80000;
/** `sizeof(struct stat)` on x86_64 and aarch64 Linux. */
const STAT_SIZE = 144;
/**
 * Offsets in `struct stat` of `st_mode`, `st_uid`, `st_gid` and `st_rdev`:
 * x86_64 has a layout of its own (a 64-bit `st_nlink` before `st_mode`),
 * aarch64 the generic one.
 */
const STAT_OFFSETS = {
  x86_64: { mode: 24, uid: 28, gid: 32, rdev: 40 },
  aarch64: { mode: 16, uid: 24, gid: 28, rdev: 32 },
} as const;

/** What `stat(2)` says of a file: the fields read here. */
export interface FileStatus {
  /** `st_mode`: the file type and permission bits. */
  mode: number;
  /** `st_uid`. */
  uid: number;
  /** `st_gid`. */
  gid: number;
  /** The major number of `st_rdev` (device files; 0 otherwise). */
  rdevMajor: number;
  /** The minor number of `st_rdev`. */
  rdevMinor: number;
}

/**
 * `stat(2)` of a path, as `open(path, O_PATH)` and `fstat(2)`: it needs no
 * permission on the file itself, and opening a device this way does not
 * open its driver.
 *
 * @param path The file (a final symbolic link is followed).
 * @returns What it says, or `-errno`.
 */
export function statPath(path: PathLike): FileStatus | number {
  const fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) return fd;
  try {
    const stat = new Uint8Array(STAT_SIZE);
    const r = confirmed(() => sym("fstat")(fd, stat));
    if (r < 0) return r;
    const at = STAT_OFFSETS[Deno.build.arch];
    const view = new DataView(stat.buffer);
    const dev = view.getBigUint64(at.rdev, true);
    // glibc's gnu_dev_major / gnu_dev_minor.
    return {
      mode: view.getUint32(at.mode, true),
      uid: view.getUint32(at.uid, true),
      gid: view.getUint32(at.gid, true),
      rdevMajor: Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & 0xfffff000n)),
      rdevMinor: Number((dev & 0xffn) | ((dev >> 12n) & 0xffffff00n)),
    };
  } finally {
    close(fd);
  }
}
