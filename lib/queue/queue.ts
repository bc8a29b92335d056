/**
 * Packet I/O: a queue of a TUN/TAP device, opened by name, read and written
 * from Deno. The fast path waits for packets without blocking the event
 * loop (a `poll` on a pool thread) and then drains the queue with
 * synchronous reads into one reused buffer, handing each packet to the
 * caller's function; a copying face (`read()`, `for await`, streams) is
 * there for code that values ease over speed.
 *
 * @module
 */

import { packetCalls } from "../../ffi/_io.ts";
import { NativeBuffer } from "../../ffi/_libc.ts";
import { operate, word, worded } from "../_boundary.ts";
import { EAGAIN, EINVAL, ENODEV } from "../_errno.ts";
import { HINTS } from "../_hints.ts";
import { checkNameType } from "../device/_checks.ts";
import { toDevice } from "../device/_device.ts";
import {
  IFF_ATTACH_QUEUE,
  IFF_DETACH_QUEUE,
  IFF_MULTI_QUEUE,
  IFF_NO_PI,
  IFF_TUN_EXCL,
  IFF_VNET_HDR,
  MODE_FLAGS,
  TunFd,
} from "../device/_tunfd.ts";
import type { TunTapDevice, TunTapMode } from "../device/types.ts";
import type { NetnsOptions } from "../netns/netns.ts";
import { Rtnl } from "../transport/_rtnl.ts";
import { O_NONBLOCK, POLLIN, POLLOUT, SyscallError } from "../transport/_syscall.ts";
import { Waiter } from "../transport/_wait.ts";

/** A device to create when none of the name exists (it goes away with its last queue). */
export interface QueueDeviceOptions {
  /** tun or tap. */
  mode: TunTapMode;
  /** Packets carry the 4-byte `tun_pi` header. */
  pi?: boolean;
  /** Packets carry a virtio-net header. */
  vnetHdr?: boolean;
  /** Several queues can be opened. */
  multiQueue?: boolean;
}

/** Options of {@linkcode openQueue} and {@linkcode openQueues}. */
export interface OpenQueueOptions extends NetnsOptions {
  /** The mode the device must have; any when absent. */
  mode?: TunTapMode;
  /**
   * Create the device when there is none of the name: not persistent, it
   * goes away with its last queue.
   */
  create?: QueueDeviceOptions;
  /** Closes the queue when aborted: a pending read ends (within about a millisecond). */
  signal?: AbortSignal;
  /**
   * Size of the read buffer: the largest packet read whole (with its
   * headers). 65,536 by default, enough for any MTU.
   */
  bufferSize?: number;
}

/**
 * Receives each packet a drain reads: `buffer[0 .. length)` is the packet
 * (headers included). The buffer is the queue's own and is reused: it is
 * valid only during the call (copy what you keep: `buffer.slice(0, length)`).
 */
export type PacketHandler = (buffer: Uint8Array, length: number) => void;

const DEFAULT_BUFFER = 65536;
/** The most packets one pull of {@linkcode TunTapQueue.readable} reads. */
const STREAM_BATCH = 64;
/** Size of the memory copies of packets are cut from. */
const SLAB = 256 * 1024;

/** The flags that attach to `device` as it is. */
function flagsOf(device: Pick<TunTapDevice, "mode" | "pi" | "vnetHdr" | "multiQueue">): number {
  return MODE_FLAGS[device.mode] | (device.pi ? 0 : IFF_NO_PI) |
    (device.vnetHdr ? IFF_VNET_HDR : 0) | (device.multiQueue ? IFF_MULTI_QUEUE : 0);
}

/**
 * Opens `count` descriptors on the device of `name` in the current
 * namespace, each attached with the device's flags, and checks that they
 * are attached to the device that was looked up (the name could have been
 * deleted and made again in between).
 */
function attachAll(
  name: string,
  count: number,
  options: OpenQueueOptions,
): { fds: TunFd[]; device: Pick<TunTapDevice, "mode" | "pi" | "vnetHdr" | "multiQueue"> } {
  using rtnl = Rtnl.open();
  const link = rtnl.getLink({ name });
  const found = link && toDevice(link);
  if (link !== undefined && found === undefined) {
    throw new SyscallError(EINVAL, "ioctl(TUNSETIFF)", {
      detail: `${name} is not a TUN/TAP device`,
    });
  }
  const create = found === undefined ? options.create : undefined;
  if (found === undefined && create === undefined) {
    throw new SyscallError(ENODEV, "RTM_GETLINK", {
      detail: `Cannot find device "${name}"`,
      explanation: 'create it first ("tuntap add") or pass the create option',
    });
  }
  const device = found ?? {
    mode: (create as QueueDeviceOptions).mode,
    pi: create?.pi ?? false,
    vnetHdr: create?.vnetHdr ?? false,
    multiQueue: create?.multiQueue ?? false,
  };
  if (options.mode !== undefined && options.mode !== device.mode) {
    throw new SyscallError(EINVAL, "ioctl(TUNSETIFF)", {
      detail: `${name} is a ${device.mode} device, not ${options.mode}`,
    });
  }
  if (count > 1 && !device.multiQueue) {
    throw new SyscallError(EINVAL, "ioctl(TUNSETIFF)", {
      detail: `${name} has one queue: ${count} need a multi_queue device`,
    });
  }
  const fds: TunFd[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const fd = TunFd.open(O_NONBLOCK);
      fds.push(fd);
      fd.setIff(name, flagsOf(device) | (create && i === 0 ? IFF_TUN_EXCL : 0));
    }
    const after = rtnl.getLink({ name });
    if (after === undefined || (found !== undefined && after.index !== found.index)) {
      throw new SyscallError(ENODEV, "RTM_GETLINK", {
        detail: `${name} was deleted or replaced while its queue was being opened`,
      });
    }
    return { fds, device };
  } catch (error) {
    for (const fd of fds) fd.close();
    throw error;
  }
}

/**
 * Opens a queue of a TUN/TAP device: attaches to the device with its own
 * flags (mode, `pi`, `vnet_hdr`, `multi_queue`), non-blocking. While it is
 * open, the device has carrier and `show`/`info` count it.
 *
 * @example Usage
 * ```ts ignore
 * import { openQueue } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 * // (tun0 is up with 10.1.0.1/24, and a ping to 10.1.0.2 runs there.)
 *
 * using queue = openQueue("tun0");
 * const read = await queue.readBatch((buffer, length) => {
 *   console.log(`get data from tun. data size = ${length}`);
 *   assert.ok(length > 0 && [4, 6].includes(buffer[0]! >> 4)); // IPv4 or IPv6
 * });
 * assert.ok(read > 0);
 * ```
 *
 * @example A missing device is an error
 * ```ts ignore
 * import { openQueue, TunTapError } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * assert.throws(() => openQueue("nosuch0"), TunTapError);
 * ```
 *
 * @param name The device.
 * @param options Mode, creation, namespace, abort signal, buffer size.
 * @returns The queue.
 * @throws {TypeError} When the name is not one.
 * @throws {TunTapError} When the device is missing (and not to be created),
 *   of the other mode, not a TUN/TAP device, a single-queue device whose
 *   queue is open elsewhere (EBUSY), or not this user's (EPERM).
 */
export function openQueue(name: string, options: OpenQueueOptions = {}): TunTapQueue {
  return openQueues(name, 1, options)[0] as TunTapQueue;
}

/**
 * Opens `count` queues of a multi-queue TUN/TAP device at once (see
 * {@linkcode openQueue}); the kernel spreads flows over them.
 *
 * @example Usage
 * ```ts ignore
 * import { openQueues } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * // No mq9 yet: the queues make it, and it goes away with the last one.
 * const queues = openQueues("mq9", 4, { create: { mode: "tun", multiQueue: true } });
 * assert.deepEqual(queues.map((q) => q.index), [0, 1, 2, 3]);
 * for (const q of queues) q.close();
 * ```
 *
 * @param name The device.
 * @param count How many queues.
 * @param options Mode, creation, namespace, abort signal, buffer size.
 * @returns The queues, in order.
 * @throws {TypeError} When the name is not one.
 * @throws {RangeError} When `count` is not a positive integer.
 * @throws {TunTapError} As {@linkcode openQueue}, and when `count` > 1 for a
 *   single-queue device.
 */
export function openQueues(
  name: string,
  count: number,
  options: OpenQueueOptions = {},
): TunTapQueue[] {
  const action = `Cannot open a queue of "${name}"`;
  checkNameType(name, action);
  if (!Number.isInteger(count) || count < 1 || count > 256) {
    throw new RangeError(`${action}: the count must be an integer from 1 to 256, not ${count}`);
  }
  const size = options.bufferSize ?? DEFAULT_BUFFER;
  if (!Number.isInteger(size) || size < 64 || size > 1 << 20) {
    throw new RangeError(`${action}: the buffer size must be 64 to 1048576 bytes, not ${size}`);
  }
  return operate(action, HINTS.attach, { name }, options.netns, () => {
    const { fds, device } = attachAll(name, count, options);
    return fds.map((fd, index) =>
      new TunTapQueue(fd, { name, index, size, device, signal: options.signal })
    );
  });
}

/**
 * A queue of a TUN/TAP device, open for reading and writing packets; made
 * by {@linkcode openQueue} or {@linkcode openQueues}.
 *
 * @example An ICMP echo responder on a tun, the fast path
 * ```ts ignore
 * import { openQueue } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 * // (tun0 is up with 10.1.0.1/24, and a ping to 10.1.0.2 runs there: this answers it.)
 *
 * await using queue = openQueue("tun0", { signal: AbortSignal.timeout(2_000) });
 * let answered = 0;
 * const answer = (buffer: Uint8Array, length: number) => {
 *   if (buffer[0]! >> 4 !== 4 || buffer[9] !== 1 || buffer[20] !== 8) return;
 *   const source = buffer.slice(12, 16);
 *   buffer.copyWithin(12, 16, 20); // swap the addresses
 *   buffer.set(source, 16);
 *   buffer[20] = 0; // echo reply (checksum fixed up by +8 on the ICMP sum)
 *   const sum = (buffer[22]! << 8 | buffer[23]!) + 0x0800;
 *   buffer[22] = (sum + (sum >> 16)) >> 8 & 0xff;
 *   buffer[23] = (sum + (sum >> 16)) & 0xff;
 *   if (queue.writeBuffer(length)) answered++;
 * };
 * while (await queue.readBatch(answer) > 0);
 * assert.ok(answered > 0);
 * ```
 */
export class TunTapQueue implements Disposable, AsyncDisposable {
  /** The device's name when the queue was opened. */
  readonly name: string;
  /** Which of the queues opened together this is (0 for a single queue). */
  readonly index: number;
  /** tun (IP packets) or tap (Ethernet frames). */
  readonly mode: TunTapMode;
  /** Each packet starts with the 4-byte `tun_pi` header (see `parsePacketInfo`). */
  readonly pi: boolean;
  /** Each packet starts with a virtio-net header of {@linkcode vnetHdrSize} bytes. */
  readonly vnetHdr: boolean;
  /** The device is multi-queue. */
  readonly multiQueue: boolean;

  readonly #fd: TunFd;
  readonly #waiter = new Waiter();
  readonly #memory: NativeBuffer;
  readonly #calls = packetCalls();
  readonly #closed: Promise<void>;
  #resolveClosed!: () => void;
  #closing = false;
  #onAbort: (() => void) | undefined;
  #signal: AbortSignal | undefined;
  #slab = new ArrayBuffer(0);
  #slabUsed = SLAB; // full: the first copy makes a slab

  /**
   * Wraps an attached descriptor; use {@linkcode openQueue}.
   *
   * @param fd The descriptor (the queue owns it from now on).
   * @param init What the queue is.
   * @param init.name The device.
   * @param init.index Its index among the queues opened together.
   * @param init.size The read buffer's size.
   * @param init.device The device's flags.
   * @param init.signal Closes the queue when aborted.
   */
  constructor(
    fd: TunFd,
    init: {
      name: string;
      index: number;
      size: number;
      device: Pick<TunTapDevice, "mode" | "pi" | "vnetHdr" | "multiQueue">;
      signal?: AbortSignal | undefined;
    },
  ) {
    this.#fd = fd;
    this.name = init.name;
    this.index = init.index;
    this.mode = init.device.mode;
    this.pi = init.device.pi;
    this.vnetHdr = init.device.vnetHdr;
    this.multiQueue = init.device.multiQueue;
    this.#memory = new NativeBuffer(init.size);
    this.#closed = new Promise((resolve) => this.#resolveClosed = resolve);
    const signal = init.signal;
    if (signal !== undefined) {
      if (signal.aborted) this.close();
      else {
        this.#signal = signal;
        this.#onAbort = () => this.close();
        signal.addEventListener("abort", this.#onAbort, { once: true });
      }
    }
  }

  /** Whether {@linkcode close} was called (or the signal aborted). */
  get closed(): boolean {
    return this.#closing;
  }

  /** Settles once the descriptors are closed (a pending wait has returned). */
  get whenClosed(): Promise<void> {
    return this.#closed;
  }

  /**
   * Reads what is queued now, without waiting: each packet goes to
   * `onPacket` (see {@linkcode PacketHandler}), until the queue is empty or
   * `max` packets were read.
   *
   * @param onPacket Receives each packet.
   * @param max At most this many.
   * @returns How many packets were read.
   * @throws {TunTapError} When the read fails (the device was deleted: EBADFD).
   */
  drain(onPacket: PacketHandler, max = Infinity): number {
    if (this.#closing) return 0;
    const fd = this.#fd.fd;
    const { address, bytes, size } = this.#memory;
    const readAt = this.#calls.readAt;
    let count = 0;
    while (count < max) {
      const n = readAt(fd, address, size);
      if (n < 0) {
        if (n === -EAGAIN) break;
        throw this.#failure(-n, "read");
      }
      count++;
      onPacket(bytes, n);
      if (this.#closing) break;
    }
    return count;
  }

  /**
   * The fast path: waits until packets are queued (without blocking the
   * event loop), then reads all of them, handing each to `onPacket`.
   *
   * @example Count packets until aborted
   * ```ts ignore
   * import { openQueue } from "@netdev/tuntap";
   * import assert from "node:assert/strict";
   *
   * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
   * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
   * // (tun0 is up with 10.1.0.1/24, and a ping to 10.1.0.2 runs there.)
   *
   * using queue = openQueue("tun0", { signal: AbortSignal.timeout(1_500) });
   * let packets = 0;
   * while (await queue.readBatch(() => packets++) > 0);
   * assert.ok(packets > 0);
   * ```
   *
   * @param onPacket Receives each packet (valid only during the call).
   * @returns How many packets were read; 0 once the queue is closed.
   * @throws {TunTapError} When the read fails.
   */
  async readBatch(onPacket: PacketHandler): Promise<number> {
    for (;;) {
      const count = this.drain(onPacket);
      if (count > 0 || this.#closing) return count;
      if (!await this.wait(POLLIN)) return 0;
    }
  }

  /**
   * Waits until the queue can be read (`POLLIN`) or written (`POLLOUT`).
   *
   * @param events `POLLIN` (1) or `POLLOUT` (4).
   * @returns `true` when ready, `false` when the queue was closed meanwhile.
   */
  async wait(events: number): Promise<boolean> {
    for (;;) {
      if (this.#closing) return false;
      const result = await this.#waiter.wait(this.#fd.fd, events);
      if (result === "ready") return !this.#closing;
      if (result === "woken") return false;
    }
  }

  /**
   * Reads one packet, as a copy: waits when none is queued.
   *
   * @returns The packet, or `null` once the queue is closed.
   * @throws {TunTapError} When the read fails.
   */
  async read(): Promise<Uint8Array | null> {
    for (;;) {
      const packet = this.readNow();
      if (packet !== undefined) return packet;
      if (this.#closing || !await this.wait(POLLIN)) return null;
    }
  }

  /**
   * Reads one packet if one is queued, as a copy, without waiting.
   *
   * @returns The packet, or `undefined` when none is queued (or the queue is closed).
   * @throws {TunTapError} When the read fails.
   */
  readNow(): Uint8Array | undefined {
    if (this.#closing) return undefined;
    const { address, bytes, size } = this.#memory;
    const n = this.#calls.readAt(this.#fd.fd, address, size);
    if (n < 0) {
      if (n === -EAGAIN) return undefined;
      throw this.#failure(-n, "read");
    }
    return this.#copy(bytes, n);
  }

  /**
   * A copy of a packet in memory of its own: a view into a slab shared by
   * the copies (one allocation per 256 KiB instead of one per packet).
   */
  #copy(bytes: Uint8Array, length: number): Uint8Array {
    if (length > SLAB / 4) return bytes.slice(0, length);
    if (this.#slabUsed + length > SLAB) {
      this.#slab = new ArrayBuffer(SLAB);
      this.#slabUsed = 0;
    }
    const copy = new Uint8Array(this.#slab, this.#slabUsed, length);
    copy.set(bytes.subarray(0, length));
    // Keep the next copy 8-byte aligned.
    this.#slabUsed += (length + 7) & ~7;
    return copy;
  }

  /**
   * Writes one packet (headers included, as the device's flags want them).
   * The descriptor is non-blocking: when the kernel has no room, the packet
   * is not written and the answer is `false` (wait with
   * `wait(POLLOUT)`, or drop it, as a router would).
   *
   * @param packet The packet.
   * @returns `true` when written, `false` when there was no room.
   * @throws {TunTapError} When the kernel refuses the packet (EINVAL: too
   *   short or malformed for the mode; EBADFD: the device was deleted).
   */
  write(packet: Uint8Array): boolean {
    if (this.#closing) throw this.#failure(9, "write"); // EBADF
    // Straight from the caller's memory: Deno passes a typed array without a copy.
    return this.#result(this.#calls.writeBytes(this.#fd.fd, packet));
  }

  /**
   * Writes the first `length` bytes of the queue's own buffer: the echo
   * path, for a packet changed in place in {@linkcode PacketHandler}.
   *
   * @param length How many bytes.
   * @returns `true` when written, `false` when there was no room.
   * @throws {TunTapError} When the kernel refuses the packet.
   */
  writeBuffer(length: number): boolean {
    if (this.#closing) throw this.#failure(9, "write");
    return this.#write(length);
  }

  #write(length: number): boolean {
    return this.#result(this.#calls.writeAt(this.#fd.fd, this.#memory.address, length));
  }

  #result(n: number): boolean {
    if (n >= 0) return true;
    if (n === -EAGAIN) return false;
    throw this.#failure(-n, "write");
  }

  /**
   * Copies of the packets, until the queue is closed. (A plain iterator, not
   * an async generator: a packet already queued costs one settled promise.)
   *
   * @returns The iterator.
   */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array, undefined> {
    const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
    return {
      next: (): Promise<IteratorResult<Uint8Array, undefined>> => {
        const packet = this.readNow();
        if (packet !== undefined) return Promise.resolve({ done: false, value: packet });
        return this.read().then((p) => p === null ? done : { done: false, value: p });
      },
      return: (): Promise<IteratorResult<Uint8Array, undefined>> => Promise.resolve(done),
    };
  }

  /**
   * The packets as a stream of copies; cancelling it closes the queue.
   *
   * @returns The stream.
   */
  readable(): ReadableStream<Uint8Array> {
    const copy = (bytes: Uint8Array, length: number) => enqueue(this.#copy(bytes, length));
    let enqueue: (packet: Uint8Array) => void;
    return new ReadableStream<Uint8Array>({
      // Each pull hands over up to 64 queued packets, so most reads cost no
      // pull; the rest stays in the kernel's queue (which drops, when full,
      // as a slow reader's device should).
      pull: async (controller) => {
        enqueue = (packet) => controller.enqueue(packet);
        for (;;) {
          if (this.drain(copy, STREAM_BATCH) > 0) return;
          if (!await this.wait(POLLIN)) return controller.close();
        }
      },
      cancel: () => this.close(),
    }, { highWaterMark: 0 });
  }

  /**
   * A stream that writes each chunk as one packet, waiting for room when the
   * kernel has none.
   *
   * @returns The stream.
   */
  writable(): WritableStream<Uint8Array> {
    return new WritableStream<Uint8Array>({
      write: async (packet) => {
        while (!this.write(packet)) {
          if (!await this.wait(POLLOUT)) throw this.#failure(9, "write");
        }
      },
    });
  }

  /** The length of the virtio-net header of each packet (`vnet_hdr` devices; 10 by default). */
  get vnetHdrSize(): number {
    return this.#ioctl(() => this.#fd.vnetHdrSize());
  }

  /** Sets the length of the virtio-net header (10, 12 or more). */
  set vnetHdrSize(size: number) {
    this.#ioctl(() => this.#fd.setVnetHdrSize(size));
  }

  /**
   * Takes this queue out of a multi-queue device (`TUNSETQUEUE`): the kernel
   * sends it nothing until {@linkcode attach}.
   *
   * @throws {TunTapError} When the device is not multi-queue.
   */
  detach(): void {
    this.#ioctl(() => this.#fd.setQueue(IFF_DETACH_QUEUE));
  }

  /**
   * Puts a detached queue back.
   *
   * @throws {TunTapError} When the device is not multi-queue.
   */
  attach(): void {
    this.#ioctl(() => this.#fd.setQueue(IFF_ATTACH_QUEUE));
  }

  /**
   * Closes the queue: a pending read ends (with 0 or `null`), and the
   * descriptor is closed once no wait uses it (see {@linkcode whenClosed}).
   * A non-persistent device goes away with its last queue.
   */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    if (this.#onAbort) this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#waiter.close(() => {
      this.#fd.close();
      this.#resolveClosed();
    });
  }

  /** Closes the queue (see {@linkcode close}). */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Closes the queue and waits until its descriptor is closed. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.#closed;
  }

  #failure(errno: number, syscall: string): unknown {
    return word(`Cannot ${syscall} a packet on "${this.name}"`, undefined, {
      name: this.name,
    }, new SyscallError(errno, syscall));
  }

  #ioctl<T>(work: () => T): T {
    return worded(
      `Cannot change the queue of "${this.name}"`,
      undefined,
      { name: this.name },
      work,
    );
  }
}

/**
 * Waits for packets (the `events` of {@linkcode TunTapQueue.wait}): `POLLIN`.
 *
 * @example Usage
 * ```ts
 * import { READABLE, WRITABLE } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([READABLE, WRITABLE], [1, 4]); // poll(2)'s POLLIN, POLLOUT
 * ```
 */
export const READABLE: number = POLLIN;
/**
 * Waits for room (the `events` of {@linkcode TunTapQueue.wait}): `POLLOUT`.
 *
 * @example Wait for room, then write
 * ```ts ignore
 * import { openQueue, WRITABLE } from "@netdev/tuntap";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * using queue = openQueue("tun0");
 * const packet = new Uint8Array(28); // an IPv4 header and 8 bytes
 * packet[0] = 0x45; // version 4: the kernel refuses a packet of no IP version
 * while (!queue.write(packet)) await queue.wait(WRITABLE);
 * ```
 */
export const WRITABLE: number = POLLOUT;
