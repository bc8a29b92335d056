/**
 * An rtnetlink socket: the one owner of a `NETLINK_ROUTE` descriptor, with
 * acknowledged requests, single gets and dumps that retry when interrupted.
 *
 * The socket talks to the network namespace of the thread that created it.
 *
 * @module
 */

import * as libc from "../ffi/mod.ts";
import {
  EAGAIN,
  EBADMSG,
  EINTR,
  ENOBUFS,
  ENODEV,
  EPERM,
  MSG_DONTWAIT,
  MSG_TRUNC,
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_CAP_ACK,
  NETLINK_EXT_ACK,
  NETLINK_GET_STRICT_CHK,
  NETLINK_ROUTE,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  SO_RCVTIMEO,
  SOCK_CLOEXEC,
  SOCK_RAW,
  SOL_NETLINK,
  SOL_SOCKET,
} from "./_kernel.ts";
import { OwnedFd } from "./_fd.ts";
import { sleepMs } from "./_sleep.ts";
import { TunTapError } from "./errors.ts";
import {
  AF_NETLINK,
  decodeAck,
  decodeLink,
  decodeMessages,
  DumpReader,
  encodeLinkGet,
  type LinkMessage,
  type LinkSelector,
  type NetlinkAck,
  NetlinkDecodeError,
  type NetlinkMessage,
  NetlinkWriter,
  NLMSG_ERROR,
  RTEXT_FILTER_SKIP_STATS,
  RTM_NEWLINK,
  writeLinkGet,
} from "./netlink/mod.ts";

/** Receive buffer: larger than any datagram the kernel builds for a dump (32 KiB). */
const BUFFER_SIZE = 64 * 1024;
/**
 * The receive buffer, one for every socket: calls are synchronous on one
 * thread and each answer is decoded before the next receive, so sockets
 * never need theirs at the same time, and a program that opens a socket per
 * operation does not allocate 64 KiB each time.
 */
let shared = new Uint8Array(BUFFER_SIZE);
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
/** No kernel answer within this many seconds is an error, not a hang. */
const RECEIVE_TIMEOUT_S = 30;

const KERNEL = libc.encodeSockaddrNl(0, 0);

let nextSeq = Math.floor(Date.now() / 1000) >>> 0;

/** The name ip uses for an rtnetlink request type in its messages. */
const REQUEST_NAMES: Readonly<Record<number, string>> = {
  16: "RTM_NEWLINK",
  17: "RTM_DELLINK",
  18: "RTM_GETLINK",
  19: "RTM_SETLINK",
  20: "RTM_NEWADDR",
  21: "RTM_DELADDR",
  22: "RTM_GETADDR",
  26: "RTM_GETROUTE",
};

/**
 * The operation name of a request type, such as `"RTM_SETLINK"`.
 *
 * @param type The request's message type.
 * @returns Its name.
 */
export function requestName(type: number): string {
  return REQUEST_NAMES[type] ?? `rtnetlink(${type})`;
}

/** An open `NETLINK_ROUTE` socket. */
export class Rtnl extends OwnedFd {
  #bound = false;

  /**
   * Opens a socket in the calling thread's network namespace.
   *
   * @returns The socket; the caller closes it.
   */
  static open(): Rtnl {
    const fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) {
      throw new TunTapError("Cannot open netlink socket", {
        errno: -fd,
        syscall: "socket(AF_NETLINK)",
      });
    }
    const socket = new Rtnl(fd);
    try {
      // Optional features: older kernels answer ENOPROTOOPT, which is fine.
      libc.setsockoptInt(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
      libc.setsockoptInt(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
      libc.setsockoptInt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1);
      // Root may go past net.core.rmem_max; others get what it allows.
      if (libc.setsockoptInt(fd, SOL_SOCKET, SO_RCVBUFFORCE, RECEIVE_BUFFER) === -EPERM) {
        libc.setsockoptInt(fd, SOL_SOCKET, SO_RCVBUF, RECEIVE_BUFFER);
      }
      const timeout = new BigInt64Array([BigInt(RECEIVE_TIMEOUT_S), 0n]);
      libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, new Uint8Array(timeout.buffer));
      // No bind(2): the first sendto binds the socket to a port the kernel picks.
    } catch (error) {
      socket.close();
      throw error;
    }
    return socket;
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
   * @param action What the requests do, as "Cannot do X".
   */
  send(bytes: Uint8Array, action: string): void {
    for (;;) {
      const r = libc.sendto(this.fd, bytes, 0, KERNEL);
      if (r === -EINTR) continue;
      if (r < 0) throw new TunTapError(action, { errno: -r, syscall: "sendto(netlink)" });
      return;
    }
  }

  /** Receives one datagram; `truncated` when it did not fit the buffer. */
  #receive(action: string): { data: Uint8Array; truncated: boolean } {
    for (;;) {
      const n = libc.recv(this.fd, shared, MSG_TRUNC);
      if (n === -EINTR) continue;
      if (n < 0) {
        throw new TunTapError(action, {
          errno: -n,
          syscall: "recv(netlink)",
          hint: -n === EAGAIN
            ? `the kernel did not answer within ${RECEIVE_TIMEOUT_S} s`
            : undefined,
        });
      }
      if (n > shared.byteLength) {
        shared = new Uint8Array(Math.max(n, shared.byteLength * 2));
        return { data: new Uint8Array(0), truncated: true };
      }
      return { data: shared.subarray(0, n), truncated: false };
    }
  }

  #messages(data: Uint8Array, action: string): NetlinkMessage[] {
    try {
      return decodeMessages(data);
    } catch (error) {
      throw malformed(action, error);
    }
  }

  /**
   * Waits for the acknowledgements of the given sequence numbers.
   *
   * @param seqs Sequence numbers of requests sent with `NLM_F_ACK`.
   * @param action What the requests do, as "Cannot do X".
   * @returns The acknowledgement of each, by sequence number.
   */
  acks(seqs: Iterable<number>, action: string): Map<number, NetlinkAck> {
    const waiting = new Set(seqs);
    const acks = new Map<number, NetlinkAck>();
    while (waiting.size > 0) {
      const { data, truncated } = this.#receive(action);
      if (truncated) {
        throw new TunTapError(action, { errno: ENOBUFS, syscall: "recv(netlink)" });
      }
      for (const message of this.#messages(data, action)) {
        if (message.type !== NLMSG_ERROR || !waiting.has(message.seq)) continue;
        try {
          acks.set(message.seq, decodeAck(message));
        } catch (error) {
          throw malformed(action, error);
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
   * @param action What the requests do, as "Cannot do X".
   * @returns The acknowledgement of each item.
   */
  requestAll<T>(
    items: readonly T[],
    write: (writer: NetlinkWriter, seq: number, item: T) => void,
    action: string,
  ): NetlinkAck[] {
    const acks: NetlinkAck[] = [];
    for (let start = 0; start < items.length; start += REQUESTS_PER_SEND) {
      const chunk = items.slice(start, start + REQUESTS_PER_SEND);
      const writer = new NetlinkWriter(64 * chunk.length);
      const seqs = chunk.map((item) => {
        const seq = this.seq();
        write(writer, seq, item);
        return seq;
      });
      this.send(writer.bytes(), action);
      const received = this.acks(seqs, action);
      for (const seq of seqs) acks.push(received.get(seq) as NetlinkAck);
    }
    return acks;
  }

  /**
   * Sends one request built with `NLM_F_ACK` and waits for its
   * acknowledgement; a kernel error becomes a {@linkcode TunTapError}.
   *
   * @param bytes The request.
   * @param seq Its sequence number.
   * @param type Its message type, for the error.
   * @param action What it does, as "Cannot do X".
   * @param hint What to tell the user when it fails, by errno.
   */
  request(
    bytes: Uint8Array,
    seq: number,
    type: number,
    action: string,
    hint?: (errno: number) => string | undefined,
  ): void {
    this.send(bytes, action);
    const ack = this.acks([seq], action).get(seq) as NetlinkAck;
    if (ack.errno !== 0) throw kernelError(action, type, ack, hint?.(ack.errno));
  }

  /**
   * Gets one link.
   *
   * @param link Its index or name.
   * @param action What is being done, as "Cannot do X".
   * @returns The link, or `undefined` if there is none.
   */
  getLink(link: LinkSelector, action: string): LinkMessage | undefined {
    const seq = this.seq();
    this.send(encodeLinkGet(seq, link, RTEXT_FILTER_SKIP_STATS), action);
    for (;;) {
      const { data, truncated } = this.#receive(action);
      if (truncated) throw new TunTapError(action, { errno: ENOBUFS, syscall: "recv(netlink)" });
      for (const message of this.#messages(data, action)) {
        if (message.seq !== seq) continue;
        try {
          if (message.type === RTM_NEWLINK) return decodeLink(message);
          if (message.type !== NLMSG_ERROR) continue;
          const ack = decodeAck(message);
          if (ack.errno === ENODEV || ack.errno === 0) return undefined;
          throw kernelError(action, 18, ack);
        } catch (error) {
          throw malformed(action, error);
        }
      }
    }
  }

  /**
   * Runs a dump to its end, again from the start (after a pause) when the
   * kernel flags it as interrupted: the set changed while dumping.
   *
   * @typeParam T What `decode` makes of one message.
   * @param build Builds the request for a sequence number.
   * @param type The request's message type, for errors.
   * @param decode Decodes one message; `undefined` skips it.
   * @param action What is being done, as "Cannot do X".
   * @param onInterrupted When the dump is still interrupted after every
   *   attempt: called, and the last dump's messages are returned (they may
   *   miss or repeat what changed meanwhile, as iproute2's dumps may).
   *   Without it, that is an error.
   * @returns The decoded messages.
   */
  dump<T>(
    build: (seq: number) => Uint8Array,
    type: number,
    decode: (message: NetlinkMessage) => T | undefined,
    action: string,
    onInterrupted?: () => void,
  ): T[] {
    for (let attempt = 1;; attempt++) {
      const seq = this.seq();
      const reader = new DumpReader(seq, decode);
      this.send(build(seq), action);
      let lost = false;
      while (!reader.done) {
        const { data, truncated } = this.#receive(action);
        if (truncated) {
          lost = true;
          continue;
        }
        try {
          reader.feed(data);
        } catch (error) {
          throw malformed(action, error);
        }
      }
      if (reader.error) throw kernelError(action, type, reader.error);
      if (!reader.interrupted && !lost) return reader.items;
      if (attempt === DUMP_ATTEMPTS) {
        if (onInterrupted !== undefined && !lost) {
          onInterrupted();
          return reader.items;
        }
        throw new TunTapError(action, {
          errno: EAGAIN,
          syscall: requestName(type),
          hint: `the dump was interrupted ${DUMP_ATTEMPTS} times: links change too fast`,
        });
      }
      sleepMs(2 ** (attempt - 1));
    }
  }

  /**
   * Gets many links, several requests per `sendto`: each answer is the link,
   * or `undefined` where the kernel has none (ENODEV). Each answer is
   * exact for its moment, unlike a dump's.
   *
   * @param selectors The links, by index or by name.
   * @param action What is being done, as "Cannot do X".
   * @returns One answer per selector, in order.
   */
  getLinks(selectors: readonly LinkSelector[], action: string): (LinkMessage | undefined)[] {
    const answers: (LinkMessage | undefined)[] = [];
    for (let start = 0; start < selectors.length; start += GETS_PER_SEND) {
      const chunk = selectors.slice(start, start + GETS_PER_SEND);
      const writer = new NetlinkWriter(64 * chunk.length);
      const seqs = chunk.map((selector) => {
        const seq = this.seq();
        writeLinkGet(writer, seq, selector, RTEXT_FILTER_SKIP_STATS);
        return seq;
      });
      this.send(writer.bytes(), action);
      const waiting = new Set(seqs);
      const got = new Map<number, LinkMessage | undefined>();
      while (waiting.size > 0) {
        const { data, truncated } = this.#receive(action);
        if (truncated) throw new TunTapError(action, { errno: ENOBUFS, syscall: "recv(netlink)" });
        for (const message of this.#messages(data, action)) {
          if (!waiting.has(message.seq)) continue;
          try {
            if (message.type === RTM_NEWLINK) got.set(message.seq, decodeLink(message));
            else if (message.type === NLMSG_ERROR) {
              const ack = decodeAck(message);
              if (ack.errno !== ENODEV && ack.errno !== 0) throw kernelError(action, 18, ack);
              got.set(message.seq, undefined);
            } else continue;
          } catch (error) {
            throw malformed(action, error);
          }
          waiting.delete(message.seq);
        }
      }
      for (const seq of seqs) answers.push(got.get(seq));
    }
    return answers;
  }

  /**
   * Joins a multicast group (`RTNLGRP_*`): the kernel then sends this socket
   * a notification for each change of that kind, in the order it made them.
   *
   * @param group The group number, such as 1 (`RTNLGRP_LINK`).
   * @param action What is being done, as "Cannot do X".
   */
  join(group: number, action: string): void {
    if (!this.#bound) {
      // Bound to a port of its own first: the kernel skips a member whose port
      // equals the sender's, and an unbound socket has port 0, the kernel's.
      const b = libc.bind(this.fd, KERNEL);
      if (b < 0) throw new TunTapError(action, { errno: -b, syscall: "bind(netlink)" });
      this.#bound = true;
    }
    const r = libc.setsockoptInt(this.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group);
    if (r < 0) {
      throw new TunTapError(action, { errno: -r, syscall: "setsockopt(NETLINK_ADD_MEMBERSHIP)" });
    }
  }

  /**
   * Takes every notification already queued on the socket, without waiting.
   *
   * @param visit Called for each message, in order.
   * @param action What is being done, as "Cannot do X".
   * @returns `false` if the kernel dropped notifications because the socket
   *   was full (ENOBUFS): what was visited is then not all that happened.
   */
  drain(visit: (message: NetlinkMessage) => void, action: string): boolean {
    let complete = true;
    for (;;) {
      const n = libc.recv(this.fd, shared, MSG_TRUNC | MSG_DONTWAIT);
      if (n === -EINTR) continue;
      if (n === -EAGAIN) return complete;
      if (n === -ENOBUFS) {
        complete = false;
        continue;
      }
      if (n < 0) throw new TunTapError(action, { errno: -n, syscall: "recv(netlink)" });
      if (n > shared.byteLength) {
        shared = new Uint8Array(Math.max(n, shared.byteLength * 2));
        complete = false;
        continue;
      }
      for (const message of this.#messages(shared.subarray(0, n), action)) visit(message);
    }
  }
}

/**
 * The error for a status the kernel returned.
 *
 * @param action What was attempted, as "Cannot do X".
 * @param type The request's message type.
 * @param status The kernel's answer.
 * @param hint What to tell the user.
 * @returns The error.
 */
export function kernelError(
  action: string,
  type: number,
  status: { errno: number; message?: string },
  hint?: string,
): TunTapError {
  return new TunTapError(action, {
    errno: status.errno,
    syscall: requestName(type),
    extack: status.message,
    hint,
  });
}

function malformed(action: string, error: unknown): unknown {
  if (!(error instanceof NetlinkDecodeError)) return error;
  return new TunTapError(action, {
    errno: EBADMSG,
    syscall: "recv(netlink)",
    hint: `the kernel's answer could not be decoded: ${error.message}`,
    cause: error,
  });
}
