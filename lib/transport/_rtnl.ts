/**
 * An rtnetlink socket: the one owner of a `NETLINK_ROUTE` descriptor, with
 * acknowledged requests, gets and dumps, and, for a socket that listens,
 * multicast notifications waited for without blocking the event loop.
 *
 * The socket talks to the network namespace of the thread that created it.
 * Failures are {@linkcode SyscallError}s: the operation that uses the socket
 * words them.
 *
 * @module
 */

import * as libc from "../../ffi/_libc.ts";
import { EAGAIN, EBADMSG, EINTR, ENOBUFS, ENODEV, EPERM, ERANGE } from "../_errno.ts";
import {
  AF_NETLINK,
  NLMSG_ERROR,
  RTEXT_FILTER_SKIP_STATS,
  RTM_DELADDR,
  RTM_DELLINK,
  RTM_GETADDR,
  RTM_GETLINK,
  RTM_NEWADDR,
  RTM_NEWLINK,
  RTM_SETLINK,
} from "../netlink/_constants.ts";
import { decodeLink, type LinkMessage, type LinkSelector, writeLinkGet } from "../netlink/_link.ts";
import {
  decodeAck,
  decodeMessages,
  DumpReader,
  type MessageScan,
  type NetlinkAck,
  NetlinkDecodeError,
  type NetlinkMessage,
} from "../netlink/_reader.ts";
import { NetlinkWriter } from "../netlink/_writer.ts";
import { OwnedFd, POLLIN, sleepMs, SyscallError } from "./_syscall.ts";
import type { Waiter } from "./_wait.ts";

const SOCK_RAW = 3;
const SOCK_CLOEXEC = 0x80000;
const SOCK_NONBLOCK = 0x800;
const NETLINK_ROUTE = 0;
const SOL_SOCKET = 1;
const SOL_NETLINK = 270;
const SO_RCVBUF = 8;
const SO_RCVBUFFORCE = 33;
const NETLINK_ADD_MEMBERSHIP = 1;
const NETLINK_CAP_ACK = 10;
const NETLINK_EXT_ACK = 11;
const NETLINK_GET_STRICT_CHK = 12;
const MSG_TRUNC = 0x20;
const MSG_DONTWAIT = 0x40;

/** Receive buffer: larger than any datagram the kernel builds for a dump (32 KiB). */
const BUFFER_SIZE = 64 * 1024;
/**
 * The receive buffer, one for every socket of this thread: calls are
 * synchronous and each answer is decoded before the next receive, so
 * sockets never need theirs at the same time, and a program that opens a
 * socket per operation does not allocate 64 KiB each time. (A listening
 * socket, whose receives are spread over time, has its own.)
 */
let shared: libc.NativeBuffer | undefined;
/**
 * What is being sent, copied into memory whose address is taken once (one
 * for every socket of this thread, as {@linkcode shared}).
 */
let outgoing: libc.NativeBuffer | undefined;
/** Requests per `sendto` in {@linkcode Rtnl.requestAll}. */
const REQUESTS_PER_SEND = 128;
/** Link requests per `sendto` in {@linkcode Rtnl.getLinks}: each answer is about 1.5 KB. */
const GETS_PER_SEND = 64;
/** The socket's receive buffer, as iproute2 sets it. */
const RECEIVE_BUFFER = 1024 * 1024;
/**
 * Attempts at a dump the kernel keeps interrupting, with a pause before each
 * new one that doubles from 1 ms (127 ms in all).
 */
const DUMP_ATTEMPTS = 8;
/**
 * How long to wait for an answer that is not there yet. The kernel answers
 * rtnetlink requests while it handles the `sendto` (and fills each next part
 * of a dump while handling the `recv` before), so an answer is always
 * queued by the time it is asked for; a missing one was lost.
 */
const ANSWER_TIMEOUT_MS = 1000;

/** The kernel's address, made on first use (taking an address needs FFI permission). */
let kernel: libc.NativeBuffer | undefined;

/** `bytes` copied into {@linkcode outgoing} (grown to fit), for `sendto`. */
function stage(bytes: Uint8Array): libc.NativeBuffer {
  const size = outgoing?.bytes.byteLength ?? 0;
  if (outgoing === undefined || bytes.byteLength > size) {
    outgoing = new libc.NativeBuffer(Math.max(bytes.byteLength, size * 2, 4096));
  }
  outgoing.bytes.set(bytes);
  return outgoing;
}

let nextSeq = Math.floor(Date.now() / 1000) >>> 0;

/** The name ip uses for an rtnetlink request type in its messages. */
const REQUEST_NAMES: Readonly<Record<number, string>> = {
  [RTM_NEWLINK]: "RTM_NEWLINK",
  [RTM_DELLINK]: "RTM_DELLINK",
  [RTM_GETLINK]: "RTM_GETLINK",
  [RTM_SETLINK]: "RTM_SETLINK",
  [RTM_NEWADDR]: "RTM_NEWADDR",
  [RTM_DELADDR]: "RTM_DELADDR",
  [RTM_GETADDR]: "RTM_GETADDR",
};

/**
 * The operation name of a request type, such as `"RTM_SETLINK"`.
 *
 * @param type The request's message type.
 * @returns Its name.
 */
function requestName(type: number): string {
  return REQUEST_NAMES[type] ?? `rtnetlink(${type})`;
}

/**
 * The error for a status the kernel returned.
 *
 * @param type The request's message type.
 * @param status The kernel's answer.
 * @returns The error.
 */
export function kernelError(
  type: number,
  status: { errno: number; message?: string },
): SyscallError {
  return new SyscallError(status.errno, requestName(type), { extack: status.message });
}

function malformed(error: unknown): unknown {
  if (!(error instanceof NetlinkDecodeError)) return error;
  return new SyscallError(EBADMSG, "recv(netlink)", {
    explanation: `the kernel's answer could not be decoded: ${error.message}`,
    cause: error,
  });
}

function lostAnswers(): SyscallError {
  return new SyscallError(ENOBUFS, "recv(netlink)", {
    explanation: "the kernel dropped answers: the socket's receive buffer was full",
  });
}

/** An open `NETLINK_ROUTE` socket. */
export class Rtnl extends OwnedFd {
  #bound = false;
  #configured = false;
  #waiter: Waiter | undefined;
  #own: libc.NativeBuffer | undefined;

  /**
   * Opens a socket in the calling thread's network namespace.
   *
   * @returns The socket; the caller closes it.
   * @throws {SyscallError} When the socket cannot be made.
   */
  static open(): Rtnl {
    const fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
    if (fd < 0) throw new SyscallError(-fd, "socket(AF_NETLINK)");
    // No bind(2): the first sendto binds the socket to a port the kernel picks.
    return new Rtnl(fd);
  }

  /**
   * Sets the options that acknowledged requests and listening want, once:
   * the kernel's error text (extended ack), short acks, strict checking of
   * requests, and a large receive buffer. Dumps and gets need none of them,
   * so a socket that only reads (`show`) never sets them.
   */
  #configure(): void {
    if (this.#configured) return;
    this.#configured = true;
    // Optional features: older kernels answer ENOPROTOOPT, which is fine.
    libc.setsockoptInt(this.fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
    libc.setsockoptInt(this.fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
    libc.setsockoptInt(this.fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1);
    // Root may go past net.core.rmem_max; others get what it allows.
    if (libc.setsockoptInt(this.fd, SOL_SOCKET, SO_RCVBUFFORCE, RECEIVE_BUFFER) === -EPERM) {
      libc.setsockoptInt(this.fd, SOL_SOCKET, SO_RCVBUF, RECEIVE_BUFFER);
    }
  }

  /**
   * A fresh sequence number.
   *
   * @returns The number.
   */
  seq(): number {
    nextSeq = (nextSeq + 1) >>> 0;
    return nextSeq;
  }

  /**
   * Sends bytes holding one or more requests.
   *
   * @param bytes The messages.
   */
  send(bytes: Uint8Array): void {
    for (;;) {
      kernel ??= libc.encodeSockaddrNl(0, 0);
      const r = libc.sendto(this.fd, stage(bytes), bytes.byteLength, 0, kernel);
      if (r === -EINTR) continue;
      if (r < 0) throw new SyscallError(-r, "sendto(netlink)");
      return;
    }
  }

  #buffer(): libc.NativeBuffer {
    return this.#own ?? (shared ??= new libc.NativeBuffer(BUFFER_SIZE));
  }

  #grow(size: number): void {
    const bigger = new libc.NativeBuffer(Math.max(size, this.#buffer().bytes.byteLength * 2));
    if (this.#own === undefined) shared = bigger;
    else this.#own = bigger;
  }

  /**
   * Receives one datagram that is expected now (an answer), or `truncated`
   * when it did not fit the buffer.
   */
  #receive(): { data: Uint8Array; truncated: boolean } {
    for (;;) {
      const buffer = this.#buffer();
      const n = libc.recv(this.fd, buffer, MSG_TRUNC | MSG_DONTWAIT);
      if (n === -EINTR) continue;
      if (n === -EAGAIN) {
        const pollfd = new Uint8Array(8);
        new DataView(pollfd.buffer).setInt32(0, this.fd, true);
        pollfd[4] = POLLIN;
        if (libc.poll(pollfd, 1, ANSWER_TIMEOUT_MS) > 0) continue;
        throw new SyscallError(EAGAIN, "recv(netlink)", {
          explanation: `the kernel sent no answer within ${ANSWER_TIMEOUT_MS} ms`,
        });
      }
      if (n === -ENOBUFS) throw lostAnswers();
      if (n < 0) throw new SyscallError(-n, "recv(netlink)");
      if (n > buffer.bytes.byteLength) {
        this.#grow(n);
        return { data: new Uint8Array(0), truncated: true };
      }
      return { data: buffer.bytes.subarray(0, n), truncated: false };
    }
  }

  #messages(data: Uint8Array): NetlinkMessage[] {
    try {
      return decodeMessages(data);
    } catch (error) {
      throw malformed(error);
    }
  }

  /**
   * Waits for the acknowledgements of the given sequence numbers.
   *
   * @param seqs Sequence numbers of requests sent with `NLM_F_ACK`.
   * @returns The acknowledgement of each, by sequence number.
   */
  acks(seqs: Iterable<number>): Map<number, NetlinkAck> {
    const waiting = new Set(seqs);
    const acks = new Map<number, NetlinkAck>();
    while (waiting.size > 0) {
      const { data, truncated } = this.#receive();
      if (truncated) throw lostAnswers();
      for (const message of this.#messages(data)) {
        if (message.type !== NLMSG_ERROR || !waiting.has(message.seq)) continue;
        try {
          acks.set(message.seq, decodeAck(message));
        } catch (error) {
          throw malformed(error);
        }
        waiting.delete(message.seq);
      }
    }
    return acks;
  }

  /**
   * Sends one request per item, built with `NLM_F_ACK`, several per
   * `sendto`, and returns every acknowledgement in order. Requests go in
   * chunks: each ack takes far more receive-buffer space than its 36 bytes,
   * and acks that do not fit are dropped (ENOBUFS).
   *
   * @typeParam T The items.
   * @param items The items.
   * @param write Appends the request for one item.
   * @returns The acknowledgement of each item.
   */
  requestAll<T>(
    items: readonly T[],
    write: (writer: NetlinkWriter, seq: number, item: T) => void,
  ): NetlinkAck[] {
    this.#configure();
    const acks: NetlinkAck[] = [];
    for (let start = 0; start < items.length; start += REQUESTS_PER_SEND) {
      const chunk = items.slice(start, start + REQUESTS_PER_SEND);
      const writer = new NetlinkWriter(64 * chunk.length);
      const seqs = chunk.map((item) => {
        const seq = this.seq();
        write(writer, seq, item);
        return seq;
      });
      this.send(writer.bytes());
      const received = this.acks(seqs);
      for (const seq of seqs) acks.push(received.get(seq) as NetlinkAck);
    }
    return acks;
  }

  /**
   * Sends one request built with `NLM_F_ACK` and waits for its
   * acknowledgement; a kernel error becomes a {@linkcode SyscallError} with
   * the kernel's extended-ack text.
   *
   * @param bytes The request.
   * @param seq Its sequence number.
   * @param type Its message type, for the error.
   */
  request(bytes: Uint8Array, seq: number, type: number): void {
    this.#configure();
    this.send(bytes);
    const ack = this.acks([seq]).get(seq) as NetlinkAck;
    if (ack.errno !== 0) throw kernelError(type, ack);
  }

  /**
   * Gets one link.
   *
   * @param link Its index or name.
   * @returns The link, or `undefined` if there is none.
   */
  getLink(link: LinkSelector): LinkMessage | undefined {
    return this.getLinks([link])[0];
  }

  /**
   * Gets many links, several requests per `sendto`: each answer is the link,
   * or `undefined` where the kernel has none (ENODEV, or ERANGE for a name
   * too long to be one). Each answer is exact
   * for its moment, unlike a dump's.
   *
   * @param selectors The links, by index or by name.
   * @returns One answer per selector, in order.
   */
  getLinks(selectors: readonly LinkSelector[]): (LinkMessage | undefined)[] {
    const answers: (LinkMessage | undefined)[] = [];
    for (let start = 0; start < selectors.length; start += GETS_PER_SEND) {
      const chunk = selectors.slice(start, start + GETS_PER_SEND);
      const writer = new NetlinkWriter(64 * chunk.length);
      const seqs = chunk.map((selector) => {
        const seq = this.seq();
        writeLinkGet(writer, seq, selector, RTEXT_FILTER_SKIP_STATS);
        return seq;
      });
      this.send(writer.bytes());
      const waiting = new Set(seqs);
      const got = new Map<number, LinkMessage | undefined>();
      while (waiting.size > 0) {
        const { data, truncated } = this.#receive();
        if (truncated) throw lostAnswers();
        for (const message of this.#messages(data)) {
          if (!waiting.has(message.seq)) continue;
          try {
            if (message.type === RTM_NEWLINK) got.set(message.seq, decodeLink(message));
            else if (message.type === NLMSG_ERROR) {
              const ack = decodeAck(message);
              // ERANGE: a name longer than any link's can be, so there is no such link.
              const none = ack.errno === ENODEV || ack.errno === ERANGE;
              if (!none && ack.errno !== 0) throw kernelError(RTM_GETLINK, ack);
              got.set(message.seq, undefined);
            } else continue;
          } catch (error) {
            throw malformed(error);
          }
          waiting.delete(message.seq);
        }
      }
      for (const seq of seqs) answers.push(got.get(seq));
    }
    return answers;
  }

  /**
   * Runs a dump to its end, again from the start (after a pause) when the
   * kernel flags it as interrupted: the set changed while dumping.
   *
   * @typeParam T What `decode` makes of one message.
   * @param build Builds the request for a sequence number.
   * @param type The request's message type, for errors.
   * @param decode Decodes one message; `undefined` skips it.
   * @param onInterrupted When the dump is still interrupted after every
   *   attempt: called, and the last dump's messages are returned (they may
   *   miss or repeat what changed meanwhile, as iproute2's dumps may).
   *   Without it, that is an error (EAGAIN).
   * @param scan Reads each data message in place instead of `decode` (see
   *   {@linkcode DumpReader}).
   * @returns The decoded messages.
   */
  dump<T>(
    build: (seq: number) => Uint8Array,
    type: number,
    decode: (message: NetlinkMessage) => T | undefined,
    onInterrupted?: () => void,
    scan?: MessageScan<T>,
  ): T[] {
    for (let attempt = 1;; attempt++) {
      const seq = this.seq();
      const reader = new DumpReader(seq, decode, scan);
      this.send(build(seq));
      let lost = false;
      while (!reader.done) {
        const { data, truncated } = this.#receive();
        if (truncated) {
          lost = true;
          continue;
        }
        try {
          reader.feed(data);
        } catch (error) {
          throw malformed(error);
        }
      }
      if (reader.error) throw kernelError(type, reader.error);
      if (!reader.interrupted && !lost) return reader.items;
      if (attempt === DUMP_ATTEMPTS) {
        if (onInterrupted !== undefined && !lost) {
          onInterrupted();
          return reader.items;
        }
        throw new SyscallError(EAGAIN, requestName(type), {
          explanation: `the dump was interrupted ${DUMP_ATTEMPTS} times: links change too fast`,
        });
      }
      sleepMs(2 ** (attempt - 1));
    }
  }

  /**
   * Joins a multicast group (`RTNLGRP_*`): the kernel then sends this socket
   * a notification for each change of that kind, in the order it made them.
   * A socket that listens gets a receive buffer of its own.
   *
   * @param group The group number, such as 1 (`RTNLGRP_LINK`).
   */
  join(group: number): void {
    this.#configure();
    if (!this.#bound) {
      // Bound to a port of its own first: the kernel skips a member whose port
      // equals the sender's, and an unbound socket has port 0, the kernel's.
      kernel ??= libc.encodeSockaddrNl(0, 0);
      const b = libc.bind(this.fd, kernel.bytes);
      if (b < 0) throw new SyscallError(-b, "bind(netlink)");
      this.#bound = true;
      this.#own = new libc.NativeBuffer(BUFFER_SIZE);
    }
    const r = libc.setsockoptInt(this.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group);
    if (r < 0) throw new SyscallError(-r, "setsockopt(NETLINK_ADD_MEMBERSHIP)");
  }

  /**
   * Takes every notification already queued on the socket, without waiting.
   *
   * @param visit Called for each message, in order.
   * @returns `false` if the kernel dropped notifications because the socket
   *   was full (ENOBUFS): what was visited is then not all that happened.
   */
  drain(visit: (message: NetlinkMessage) => void): boolean {
    let complete = true;
    for (;;) {
      const buffer = this.#buffer();
      const n = libc.recv(this.fd, buffer, MSG_TRUNC | MSG_DONTWAIT);
      if (n === -EINTR) continue;
      if (n === -EAGAIN) return complete;
      if (n === -ENOBUFS) {
        complete = false;
        continue;
      }
      if (n < 0) throw new SyscallError(-n, "recv(netlink)");
      if (n > buffer.bytes.byteLength) {
        this.#grow(n);
        complete = false;
        continue;
      }
      for (const message of this.#messages(buffer.bytes.subarray(0, n))) visit(message);
    }
  }

  /**
   * Waits, without blocking the event loop, until notifications are queued,
   * or until {@linkcode wake} or `close()` is called.
   *
   * @returns `true` when there is something to {@linkcode drain}.
   */
  async readable(): Promise<boolean> {
    if (this.fd < 0) return false;
    // The wait primitive is loaded by the sockets that listen, not by every request.
    this.#waiter ??= new (await import("./_wait.ts")).Waiter();
    if (this.fd < 0) return false;
    const result = await this.#waiter.wait(this.fd, POLLIN);
    return result === "ready";
  }

  /** Ends a pending {@linkcode readable} wait at once. */
  wake(): void {
    this.#waiter?.wake();
  }

  /**
   * Closes the socket: wakes a pending wait first, and closes the
   * descriptor once no poll names it any more.
   */
  override close(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return super.close();
    this.#waiter = undefined;
    waiter.close(() => super.close());
  }
}
