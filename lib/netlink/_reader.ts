/**
 * Reads netlink datagrams: message framing, attributes, acknowledgements
 * (`NLMSG_ERROR` with extended-ack attributes, `NLMSG_DONE` carrying an
 * error) and multi-part dumps.
 *
 * Every function validates lengths before reading, and throws nothing but
 * {@linkcode NetlinkDecodeError}, defined here, on malformed input.
 *
 * @module
 */

import {
  NLA_F_NESTED,
  NLA_HDRLEN,
  NLA_TYPE_MASK,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLM_F_DUMP_INTR,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  NLMSG_OVERRUN,
  NLMSGERR_ATTR_MISS_TYPE,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
} from "./_constants.ts";
import { decodeText } from "./_text.ts";
import { align4 } from "./_writer.ts";

/**
 * Malformed netlink data: a length that runs past its container, a header
 * shorter than its structure, an attribute too short for its type.
 */
export class NetlinkDecodeError extends Error {
  /** Byte offset of the problem in the buffer being decoded. */
  readonly offset: number;

  /**
   * Creates the error.
   *
   * @param message What is wrong, in the form "Cannot decode X: detail".
   * @param offset Byte offset of the problem.
   */
  constructor(message: string, offset: number) {
    super(message);
    this.name = "NetlinkDecodeError";
    this.offset = offset;
  }
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** One netlink message of a datagram. */
export interface NetlinkMessage {
  /** Message type (`NLMSG_*` or `RTM_*`). */
  type: number;
  /** Header flags (`NLM_F_*`). */
  flags: number;
  /** Sequence number. */
  seq: number;
  /** Port id of the sender (0 = kernel) or of the addressee. */
  pid: number;
  /** The message after its 16-byte header. */
  payload: Uint8Array;
  /** Offset of the message in its datagram. */
  offset: number;
}

/**
 * Splits a datagram into messages.
 *
 * @param datagram Bytes as received.
 * @returns The messages, in order.
 */
export function decodeMessages(datagram: Uint8Array): NetlinkMessage[] {
  const d = datagramViews(datagram);
  const messages: NetlinkMessage[] = [];
  for (let at = 0; at < d.bytes.byteLength;) {
    const length = messageLength(d, at);
    messages.push(messageAt(d, at, at + length, d.u16[(at >> 1) + 2] as number));
    at += align4(length);
  }
  return messages;
}

/**
 * The length of the message at `at` of a datagram, after checking that its
 * header and the rest of it fit.
 *
 * @param d The datagram.
 * @param at Where the message starts (a multiple of 4).
 * @returns Its length (`nlmsg_len`).
 * @throws {NetlinkDecodeError} When it does not fit.
 */
function messageLength(d: DatagramViews, at: number): number {
  const left = d.bytes.byteLength - at;
  if (left < NLMSG_HDRLEN) {
    throw new NetlinkDecodeError(
      `Cannot decode netlink message: ${left} bytes left, a header needs ${NLMSG_HDRLEN}`,
      at,
    );
  }
  const length = d.u32[at >> 2] as number;
  if (length < NLMSG_HDRLEN || length > left) {
    throw new NetlinkDecodeError(
      `Cannot decode netlink message: length ${length} does not fit in ${left} bytes`,
      at,
    );
  }
  return length;
}

/**
 * A view of a message's fixed family header (`ifinfomsg`, `ifaddrmsg`, …),
 * after checking that the payload holds one.
 *
 * @param message The message.
 * @param size The header's size.
 * @param what What is being decoded, for the error.
 * @returns A view of the payload.
 */
export function headerView(message: NetlinkMessage, size: number, what: string): DataView {
  const p = message.payload;
  if (p.byteLength < size) {
    throw new NetlinkDecodeError(
      `Cannot decode ${what}: ${p.byteLength} bytes, its header needs ${size}`,
      message.offset,
    );
  }
  return viewOf(p);
}

/** One attribute (`struct nlattr` and its payload). */
export interface NetlinkAttribute {
  /** Type with the `NLA_F_*` bits masked off. */
  type: number;
  /** Whether `NLA_F_NESTED` was set. */
  nested: boolean;
  /** The payload, without padding. */
  data: Uint8Array;
}

/**
 * Splits a run of attributes.
 *
 * @param bytes The attributes, as they follow a fixed header.
 * @returns The attributes, in order.
 */
export function decodeAttributes(bytes: Uint8Array): NetlinkAttribute[] {
  const attributes: NetlinkAttribute[] = [];
  walkAttributes(bytes, 0, bytes.byteLength, (type, at, length, nested) => {
    attributes.push({ type, nested, data: bytes.subarray(at, at + length) });
  });
  return attributes;
}

/**
 * Walks the attributes in `bytes[start, end)` without allocating anything
 * (given a view):
 * `visit` gets each attribute's type (flags masked off), the offset and
 * length of its payload in `bytes`, and whether `NLA_F_NESTED` was set.
 * Lengths are checked before anything is read.
 *
 * @param bytes The buffer.
 * @param start Where the attributes begin.
 * @param end Where they end.
 * @param visit Called for each attribute.
 * @param view A view of `bytes`, when the caller has one.
 */
export function walkAttributes(
  bytes: Uint8Array,
  start: number,
  end: number,
  visit: (type: number, at: number, length: number, nested: boolean) => void,
  view: DataView = viewOf(bytes),
): void {
  let at = start;
  while (at < end) {
    const length = attributeLength(view, at, end);
    const type = view.getUint16(at + 2, true);
    visit(type & NLA_TYPE_MASK, at + NLA_HDRLEN, length - NLA_HDRLEN, (type & NLA_F_NESTED) !== 0);
    at += align4(length);
  }
}

/**
 * The length of the attribute at `at`, after checking that its header and
 * its payload fit in `[at, end)`.
 *
 * @param view A view of the buffer.
 * @param at Where the attribute starts.
 * @param end Where its container ends.
 * @returns Its length, header included (`nla_len`).
 */
export function attributeLength(view: DataView, at: number, end: number): number {
  const left = end - at;
  if (left < NLA_HDRLEN) {
    throw new NetlinkDecodeError(
      `Cannot decode netlink attribute: ${left} trailing bytes, a header needs ${NLA_HDRLEN}`,
      at,
    );
  }
  const length = view.getUint16(at, true);
  if (length < NLA_HDRLEN || length > left) {
    throw new NetlinkDecodeError(
      `Cannot decode netlink attribute ${
        view.getUint16(at + 2, true) & NLA_TYPE_MASK
      }: length ${length} does not fit in ${left} bytes`,
      at,
    );
  }
  return length;
}

/** The value types of attributes, by how they are read. */
export interface FieldValues {
  /** An 8-bit number. */
  u8: number;
  /** An unsigned 32-bit number in host byte order. */
  u32: number;
  /** A signed 32-bit number in host byte order. */
  i32: number;
  /** An 8-bit flag: anything but 0 is true. */
  bool: boolean;
  /** A string up to its first NUL. */
  string: string;
  /** The payload, copied (receive buffers are reused). */
  bytes: Uint8Array;
}

/** How an attribute's payload is read. */
export type FieldKind = keyof FieldValues;

/**
 * How one attribute is read, and the field it sets. The setter is a named
 * store (`l.mtu = v`): V8 turns objects that get many properties by keyed
 * stores (`l[name] = v`) into slow dictionaries, which made decoding a
 * dump allocate kilobytes per link.
 */
export type Field<T> = {
  [K in FieldKind]: readonly [K, (target: T, value: FieldValues[K]) => void];
}[FieldKind];

/** Fields by attribute type. */
export type FieldTable<T> = Readonly<Record<number, Field<T>>>;

/**
 * An entry of a {@linkcode FieldTable}.
 *
 * @param kind How the attribute is read.
 * @param set Stores the value (a named store, such as `(l, v) => l.mtu = v`).
 * @returns The entry.
 */
export function field<K extends FieldKind, T>(
  kind: K,
  set: (target: T, value: FieldValues[K]) => void,
): Field<T> {
  return [kind, set] as unknown as Field<T>;
}

const FIELD_SIZES: Readonly<Record<FieldKind, number>> = {
  u8: 1,
  u32: 4,
  i32: 4,
  string: 0,
  bytes: 0,
  bool: 1,
};

type FieldReader<V> = (bytes: Uint8Array, view: DataView, at: number, length: number) => V;

const FIELD_READERS: { readonly [K in FieldKind]: FieldReader<FieldValues[K]> } = {
  u8: (_b, v, at) => v.getUint8(at),
  u32: (_b, v, at) => v.getUint32(at, true),
  i32: (_b, v, at) => v.getInt32(at, true),
  string: (b, _v, at, length) => readString(b.subarray(at, at + length)),
  bytes: (b, _v, at, length) => b.slice(at, at + length),
  bool: (_b, v, at) => v.getUint8(at) !== 0,
};

/**
 * Decodes the attributes in `bytes[start, end)` into `target` through a
 * table; attributes the table does not name go to `other`, if given.
 * Lengths are checked before anything is read.
 *
 * @param target The object the table's setters fill.
 * @param table The fields, by attribute type.
 * @param bytes The buffer.
 * @param start Where the attributes begin.
 * @param end Where they end.
 * @param view A view of `bytes`, when the caller has one.
 * @param other Called for each attribute the table does not name.
 * @returns `target`.
 */
export function decodeFields<T extends object>(
  target: T,
  table: FieldTable<T>,
  bytes: Uint8Array,
  start: number,
  end: number,
  view: DataView = viewOf(bytes),
  other?: (type: number, at: number, length: number) => void,
): T {
  walkAttributes(bytes, start, end, (type, at, length) => {
    const entry = table[type];
    if (entry === undefined) {
      other?.(type, at, length);
      return;
    }
    // Indexing, not destructuring: unoptimized code destructures through an
    // iterator, allocating on every attribute of every link.
    const kind = entry[0];
    if (length < FIELD_SIZES[kind]) {
      throw new NetlinkDecodeError(
        `Cannot decode netlink attribute ${type} as ${kind}: ${length} bytes, it needs ${
          FIELD_SIZES[kind]
        }`,
        at,
      );
    }
    (entry[1] as (target: T, value: unknown) => void)(
      target,
      FIELD_READERS[kind](bytes, view, at, length),
    );
  }, view);
  return target;
}

/**
 * Reads a string attribute up to its first NUL, as {@linkcode decodeText}
 * decodes it (bytes that are not UTF-8 are kept, escaped).
 *
 * @param bytes The payload.
 * @returns The string.
 */
export function readString(bytes: Uint8Array): string {
  return readStringAt(bytes, 0, bytes.byteLength);
}

/**
 * Reads the string attribute payload at `bytes[start, end)` up to its first
 * NUL, as {@linkcode readString} does, without a view of its own.
 *
 * @param bytes The buffer.
 * @param start Where the payload starts.
 * @param end Where it ends.
 * @returns The string.
 */
export function readStringAt(bytes: Uint8Array, start: number, end: number): string {
  let nul = start;
  while (nul < end && bytes[nul] !== 0) nul++;
  return decodeText(bytes, start, nul);
}

/** The outcome of a request, from `NLMSG_ERROR` or `NLMSG_DONE`. */
export interface NetlinkStatus {
  /** 0 for success, otherwise a positive errno. */
  errno: number;
  /** The extended-ack text, when the kernel gave one. */
  message?: string;
  /** Byte offset, in the request, of the attribute the kernel refused. */
  offset?: number;
  /** Type of an attribute the kernel missed. */
  missingType?: number;
}

const STATUS_FIELDS: FieldTable<NetlinkStatus> = {
  [NLMSGERR_ATTR_MSG]: field("string", (s, v) => s.message = v),
  [NLMSGERR_ATTR_OFFS]: field("u32", (s, v) => s.offset = v),
  [NLMSGERR_ATTR_MISS_TYPE]: field("u32", (s, v) => s.missingType = v),
};

/** An `NLMSG_ERROR` message: the status and the header of the request. */
export interface NetlinkAck extends NetlinkStatus {
  /** Type of the request this answers. */
  requestType: number;
  /** Sequence number of the request this answers. */
  requestSeq: number;
}

/**
 * Decodes an `NLMSG_ERROR` message (an error, or an acknowledgement when
 * `errno` is 0), including extended-ack attributes.
 *
 * @param message A message of type `NLMSG_ERROR`.
 * @returns The acknowledgement.
 */
export function decodeAck(message: NetlinkMessage): NetlinkAck {
  const p = message.payload;
  if (p.byteLength < 4 + NLMSG_HDRLEN) {
    throw new NetlinkDecodeError(
      `Cannot decode netlink error: ${p.byteLength} bytes, it needs ${4 + NLMSG_HDRLEN}`,
      message.offset,
    );
  }
  const view = viewOf(p);
  const error = view.getInt32(0, true);
  const requestLength = view.getUint32(4, true);
  const ack: NetlinkAck = {
    errno: Math.abs(error),
    requestType: view.getUint16(8, true),
    requestSeq: view.getUint32(12, true),
  };
  if ((message.flags & NLM_F_ACK_TLVS) === 0) return ack;
  const echoed = (message.flags & NLM_F_CAPPED) !== 0 ? NLMSG_HDRLEN : requestLength;
  // Checked before aligning: a length near 2^32 would wrap align4 to a negative offset.
  const start = echoed <= p.byteLength ? align4(4 + echoed) : Infinity;
  if (echoed < NLMSG_HDRLEN || start > p.byteLength) {
    throw new NetlinkDecodeError(
      `Cannot decode netlink error: the echoed request of ${echoed} bytes does not fit in ${p.byteLength}`,
      message.offset,
    );
  }
  return decodeFields(ack, STATUS_FIELDS, p, start, p.byteLength, view);
}

/**
 * Decodes an `NLMSG_DONE` message, which may carry a dump error and
 * extended-ack attributes.
 *
 * @param message A message of type `NLMSG_DONE`.
 * @returns The status of the dump.
 */
export function decodeDone(message: NetlinkMessage): NetlinkStatus {
  const p = message.payload;
  if (p.byteLength < 4) return { errno: 0 };
  const status: NetlinkStatus = { errno: Math.abs(viewOf(p).getInt32(0, true)) };
  if ((message.flags & NLM_F_ACK_TLVS) === 0) return status;
  return decodeFields(status, STATUS_FIELDS, p, 4, p.byteLength);
}

/**
 * A datagram as an in-place scan reads it: its bytes, and 16- and 32-bit
 * views of the same memory. Netlink is in the host's byte order, as typed
 * arrays are; they also read faster than a `DataView` before the JIT has
 * warmed up. Messages and attributes start at multiples of 4.
 */
export interface DatagramViews {
  /** The bytes, starting at a multiple of 4 in their buffer. */
  readonly bytes: Uint8Array;
  /** `u16[i]` is the 16-bit value at byte `2 * i`. */
  readonly u16: Uint16Array;
  /** `u32[i]` is the 32-bit value at byte `4 * i`. */
  readonly u32: Uint32Array;
}

/**
 * The views of a datagram (copied first when it does not start at a multiple
 * of 4 in its buffer).
 *
 * @param datagram The bytes.
 * @returns The views.
 */
export function datagramViews(datagram: Uint8Array): DatagramViews {
  const bytes = datagram.byteOffset % 4 === 0 ? datagram : datagram.slice();
  const { buffer, byteOffset, byteLength } = bytes;
  return {
    bytes,
    u16: new Uint16Array(buffer, byteOffset, byteLength >> 1),
    u32: new Uint32Array(buffer, byteOffset, byteLength >> 2),
  };
}

/**
 * Reads one data message in place: `start` and `end` bound its payload (the
 * message after its 16-byte header) in the datagram.
 *
 * @typeParam T What it makes of the message; `undefined` skips it.
 */
export type MessageScan<T> = (
  datagram: DatagramViews,
  start: number,
  end: number,
  type: number,
) => T | undefined;

/**
 * Collects the answer to one dump request across the datagrams it arrives
 * in, reading each datagram in place.
 *
 * Messages of other sequence numbers are ignored. `NLM_F_DUMP_INTR` on any
 * message marks the dump as interrupted: its content may be inconsistent and
 * the caller should dump again. Data messages go to `decode` as
 * {@linkcode NetlinkMessage}s, or, given a {@linkcode MessageScan}, to it
 * without any object made for them (the fast path of large dumps).
 *
 * @typeParam T What `decode` makes of one message.
 */
export class DumpReader<T> {
  /** The decoded messages, in order. */
  readonly items: T[] = [];
  /** Whether `NLMSG_DONE` or an error ended the dump. */
  done = false;
  /** Whether the kernel flagged the dump as interrupted. */
  interrupted = false;
  /** Why the dump failed, if it did. */
  error: NetlinkStatus | undefined;
  readonly #seq: number;
  readonly #scan: MessageScan<T>;

  /**
   * Creates a reader.
   *
   * @param seq Sequence number of the dump request.
   * @param decode Decodes one data message; `undefined` skips it.
   * @param scan Reads one data message in place instead of `decode`.
   */
  constructor(
    seq: number,
    decode: (message: NetlinkMessage) => T | undefined,
    scan?: MessageScan<T>,
  ) {
    this.#seq = seq;
    this.#scan = scan ??
      ((d, start, end, type) => decode(messageAt(d, start - NLMSG_HDRLEN, end, type)));
  }

  /**
   * Consumes one datagram.
   *
   * @param datagram Bytes as received.
   * @returns Whether the dump is complete.
   * @throws {NetlinkDecodeError} When a message does not fit in the datagram
   *   (the messages before it are consumed).
   */
  feed(datagram: Uint8Array): boolean {
    const d = datagramViews(datagram);
    const { u16, u32 } = d;
    for (let at = 0; at < d.bytes.byteLength && !this.done;) {
      const length = messageLength(d, at);
      const type = u16[(at >> 1) + 2] as number;
      if (u32[(at >> 2) + 2] === this.#seq) {
        if (((u16[(at >> 1) + 3] as number) & NLM_F_DUMP_INTR) !== 0) this.interrupted = true;
        if (type > NLMSG_OVERRUN) {
          const item = this.#scan(d, at + NLMSG_HDRLEN, at + length, type);
          if (item !== undefined) this.items.push(item);
        } else this.#control(messageAt(d, at, at + length, type));
      }
      at += align4(length);
    }
    return this.done;
  }

  /** NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN. */
  #control(message: NetlinkMessage): void {
    switch (message.type) {
      case NLMSG_DONE: {
        const status = decodeDone(message);
        if (status.errno !== 0) this.error = status;
        this.done = true;
        break;
      }
      case NLMSG_ERROR: {
        const ack = decodeAck(message);
        if (ack.errno !== 0) this.error = ack;
        this.done = true;
        break;
      }
      case NLMSG_OVERRUN:
        this.error = { errno: 105, message: "netlink overrun: data was lost" }; // ENOBUFS
        this.done = true;
        break;
    }
  }
}

/** The message of `d.bytes[at, end)`, as {@linkcode decodeMessages} makes it. */
function messageAt(d: DatagramViews, at: number, end: number, type: number): NetlinkMessage {
  return {
    type,
    flags: d.u16[(at >> 1) + 3] as number,
    seq: d.u32[(at >> 2) + 2] as number,
    pid: d.u32[(at >> 2) + 3] as number,
    payload: d.bytes.subarray(at + NLMSG_HDRLEN, end),
    offset: at,
  };
}
