/**
 * Builds netlink messages: headers, fixed family headers, attributes and
 * nests, with 4-byte alignment. Several messages can share one buffer, to be
 * sent with one `sendto`.
 *
 * @module
 */

import {
  IFADDRMSG_LEN,
  IFINFOMSG_LEN,
  NLA_F_NESTED,
  NLA_HDRLEN,
  NLMSG_HDRLEN,
} from "./_constants.ts";
import { encodeText } from "./_text.ts";

/** Rounds `n` up to the netlink alignment of 4 bytes. */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

/** Fields of `struct ifinfomsg`. */
export interface IfInfoMsg {
  /** Address family, normally `AF_UNSPEC`. */
  family?: number;
  /** Hardware type (`ARPHRD_*`). */
  type?: number;
  /** Interface index, 0 for none. */
  index?: number;
  /** Device flags (`IFF_*`). */
  flags?: number;
  /** Mask of the device flags to change. */
  change?: number;
}

/** Fields of `struct ifaddrmsg`. */
export interface IfAddrMsg {
  /** `AF_INET` or `AF_INET6`. */
  family: number;
  /** Prefix length. */
  prefixLength?: number;
  /** Address flags (`IFA_F_*`, low 8 bits). */
  flags?: number;
  /** Address scope (`RT_SCOPE_*`). */
  scope?: number;
  /** Interface index. */
  index?: number;
}

/**
 * An append-only netlink message builder.
 */
export class NetlinkWriter {
  #bytes: Uint8Array<ArrayBuffer>;
  #view: DataView;
  #length = 0;
  #message = -1;

  /**
   * Creates a writer.
   *
   * @param capacity Initial buffer size in bytes; it grows as needed.
   */
  constructor(capacity = 256) {
    this.#bytes = new Uint8Array(Math.max(capacity, NLMSG_HDRLEN));
    this.#view = new DataView(this.#bytes.buffer);
  }

  #reserve(extra: number): number {
    const at = this.#length;
    const need = at + extra;
    if (need > this.#bytes.byteLength) {
      let size = this.#bytes.byteLength * 2;
      while (size < need) size *= 2;
      const bytes = new Uint8Array(size);
      bytes.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = bytes;
      this.#view = new DataView(bytes.buffer);
    }
    this.#length = need;
    return at;
  }

  /**
   * Starts a message.
   *
   * @param type Message type (`RTM_*`).
   * @param flags Header flags (`NLM_F_*`).
   * @param seq Sequence number.
   * @param pid Sender port id, 0 for the kernel to fill.
   * @returns This writer.
   */
  begin(type: number, flags: number, seq: number, pid = 0): this {
    if (this.#message >= 0) {
      throw new Error("Cannot begin a netlink message: the previous one was not ended");
    }
    const at = this.#reserve(NLMSG_HDRLEN);
    this.#message = at;
    const v = this.#view;
    v.setUint32(at, 0, true);
    v.setUint16(at + 4, type, true);
    v.setUint16(at + 6, flags, true);
    v.setUint32(at + 8, seq >>> 0, true);
    v.setUint32(at + 12, pid >>> 0, true);
    return this;
  }

  /**
   * Ends the current message, writing its length.
   *
   * @returns This writer.
   */
  end(): this {
    if (this.#message < 0) throw new Error("Cannot end a netlink message: none was begun");
    this.#view.setUint32(this.#message, this.#length - this.#message, true);
    this.#message = -1;
    return this;
  }

  /**
   * Appends raw bytes, padded to 4 bytes.
   *
   * @param data The bytes.
   * @returns This writer.
   */
  raw(data: Uint8Array): this {
    const at = this.#reserve(align4(data.byteLength));
    this.#bytes.set(data, at);
    this.#bytes.fill(0, at + data.byteLength, this.#length);
    return this;
  }

  /**
   * Appends a `struct ifinfomsg`.
   *
   * @param fields The fields; omitted ones are 0.
   * @returns This writer.
   */
  ifinfomsg(fields: IfInfoMsg = {}): this {
    const at = this.#reserve(IFINFOMSG_LEN);
    const v = this.#view;
    v.setUint8(at, fields.family ?? 0);
    v.setUint8(at + 1, 0);
    v.setUint16(at + 2, fields.type ?? 0, true);
    v.setInt32(at + 4, fields.index ?? 0, true);
    v.setUint32(at + 8, (fields.flags ?? 0) >>> 0, true);
    v.setUint32(at + 12, (fields.change ?? 0) >>> 0, true);
    return this;
  }

  /**
   * Appends a `struct ifaddrmsg`.
   *
   * @param fields The fields; omitted ones are 0.
   * @returns This writer.
   */
  ifaddrmsg(fields: IfAddrMsg): this {
    const at = this.#reserve(IFADDRMSG_LEN);
    const v = this.#view;
    v.setUint8(at, fields.family);
    v.setUint8(at + 1, fields.prefixLength ?? 0);
    v.setUint8(at + 2, fields.flags ?? 0);
    v.setUint8(at + 3, fields.scope ?? 0);
    v.setUint32(at + 4, (fields.index ?? 0) >>> 0, true);
    return this;
  }

  /**
   * Appends a `struct rtmsg` (12 bytes).
   *
   * @param family Address family.
   * @param table Routing table id (low 8 bits).
   * @returns This writer.
   */
  rtmsg(family: number, table = 0): this {
    const at = this.#reserve(12);
    this.#bytes.fill(0, at, at + 12);
    this.#view.setUint8(at, family);
    this.#view.setUint8(at + 4, table & 0xff);
    return this;
  }

  /**
   * Appends an attribute with a raw payload.
   *
   * @param type Attribute type.
   * @param data Payload.
   * @returns This writer.
   */
  attr(type: number, data: Uint8Array): this {
    const length = NLA_HDRLEN + data.byteLength;
    const at = this.#reserve(align4(length));
    this.#view.setUint16(at, length, true);
    this.#view.setUint16(at + 2, type, true);
    this.#bytes.set(data, at + NLA_HDRLEN);
    this.#bytes.fill(0, at + length, this.#length);
    return this;
  }

  #fixed(type: number, size: number, write: (v: DataView, at: number) => void): this {
    const at = this.#reserve(align4(NLA_HDRLEN + size));
    this.#view.setUint16(at, NLA_HDRLEN + size, true);
    this.#view.setUint16(at + 2, type, true);
    this.#bytes.fill(0, at + NLA_HDRLEN, this.#length);
    write(this.#view, at + NLA_HDRLEN);
    return this;
  }

  /**
   * Appends an 8-bit attribute.
   *
   * @param type Attribute type.
   * @param value Value.
   * @returns This writer.
   */
  u8(type: number, value: number): this {
    return this.#fixed(type, 1, (v, at) => v.setUint8(at, value));
  }

  /**
   * Appends a 32-bit unsigned attribute (host byte order).
   *
   * @param type Attribute type.
   * @param value Value.
   * @returns This writer.
   */
  u32(type: number, value: number): this {
    return this.#fixed(type, 4, (v, at) => v.setUint32(at, value >>> 0, true));
  }

  /**
   * Appends a 32-bit signed attribute (host byte order).
   *
   * @param type Attribute type.
   * @param value Value.
   * @returns This writer.
   */
  i32(type: number, value: number): this {
    return this.#fixed(type, 4, (v, at) => v.setInt32(at, value, true));
  }

  /**
   * Appends a string attribute.
   *
   * @param type Attribute type.
   * @param text The string, encoded as {@linkcode encodeText} encodes it.
   * @param nul Whether to add a terminating NUL (the kernel accepts both).
   * @returns This writer.
   */
  string(type: number, text: string, nul = true): this {
    return this.attr(type, encodeText(nul ? `${text}\0` : text));
  }

  /**
   * Appends a nest; `build` writes its content.
   *
   * @param type Attribute type of the nest.
   * @param build Writes the nested attributes.
   * @param flagged Whether to set `NLA_F_NESTED` (rtnetlink accepts both).
   * @returns This writer.
   */
  nest(type: number, build: (writer: this) => void, flagged = false): this {
    const at = this.#reserve(NLA_HDRLEN);
    this.#view.setUint16(at + 2, flagged ? type | NLA_F_NESTED : type, true);
    build(this);
    this.#view.setUint16(at, this.#length - at, true);
    return this;
  }

  /**
   * The bytes written so far.
   *
   * @returns A view of the written messages.
   */
  bytes(): Uint8Array<ArrayBuffer> {
    if (this.#message >= 0) throw new Error("Cannot take netlink bytes: a message is not ended");
    return this.#bytes.subarray(0, this.#length);
  }
}
