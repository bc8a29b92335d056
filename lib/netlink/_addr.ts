/**
 * rtnetlink address messages: `RTM_NEWADDR` / `RTM_DELADDR` requests, the
 * `RTM_GETADDR` dump request, and table-driven decoding of address messages.
 *
 * @module
 */

import {
  IFA_ADDRESS,
  IFA_BROADCAST,
  IFA_CACHEINFO,
  IFA_FLAGS,
  IFA_LABEL,
  IFA_LOCAL,
  IFADDRMSG_LEN,
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NLM_F_REQUEST,
  RTM_DELADDR,
  RTM_GETADDR,
  RTM_NEWADDR,
} from "./_constants.ts";
import {
  decodeFields,
  field,
  type FieldTable,
  headerView,
  NetlinkDecodeError,
  type NetlinkMessage,
} from "./_reader.ts";
import { NetlinkWriter } from "./_writer.ts";

/** A decoded `RTM_NEWADDR` (or `RTM_DELADDR`) message. */
export interface AddressMessage {
  /** Message type. */
  messageType: number;
  /** `AF_INET` or `AF_INET6`. */
  family: number;
  /** Prefix length. */
  prefixLength: number;
  /** Address flags (`IFA_F_*`), from `IFA_FLAGS` when present. */
  flags: number;
  /** Scope (`RT_SCOPE_*`). */
  scope: number;
  /** Interface index. */
  index: number;
  /** `IFA_ADDRESS`: the address, or the peer on a point-to-point link. */
  address?: Uint8Array;
  /** `IFA_LOCAL`: the local address. */
  local?: Uint8Array;
  /** `IFA_BROADCAST`. */
  broadcast?: Uint8Array;
  /** `IFA_LABEL`. */
  label?: string;
  /** `IFA_CACHEINFO`: preferred and valid lifetimes in seconds (0xffffffff = forever). */
  lifetimes?: { preferred: number; valid: number };
}

const ADDRESS_FIELDS: FieldTable<AddressMessage> = {
  [IFA_ADDRESS]: field("bytes", (a, v) => a.address = v),
  [IFA_LOCAL]: field("bytes", (a, v) => a.local = v),
  [IFA_BROADCAST]: field("bytes", (a, v) => a.broadcast = v),
  [IFA_LABEL]: field("string", (a, v) => a.label = v),
  [IFA_FLAGS]: field("u32", (a, v) => a.flags = v),
};

/**
 * Decodes an address message.
 *
 * @param message The message.
 * @returns The address.
 */
export function decodeAddress(message: NetlinkMessage): AddressMessage {
  const p = message.payload;
  const view = headerView(message, IFADDRMSG_LEN, "address message");
  const result: AddressMessage = {
    messageType: message.type,
    family: view.getUint8(0),
    prefixLength: view.getUint8(1),
    flags: view.getUint8(2),
    scope: view.getUint8(3),
    index: view.getUint32(4, true),
  };
  return decodeFields(
    result,
    ADDRESS_FIELDS,
    p,
    IFADDRMSG_LEN,
    p.byteLength,
    view,
    (type, at, length) => {
      if (type !== IFA_CACHEINFO) return;
      if (length < 8) {
        throw new NetlinkDecodeError(
          "Cannot decode IFA_CACHEINFO: it needs 8 bytes",
          message.offset,
        );
      }
      result.lifetimes = {
        preferred: view.getUint32(at, true),
        valid: view.getUint32(at + 4, true),
      };
    },
  );
}

/**
 * Decodes an address message (`RTM_NEWADDR` of a dump or a notification,
 * `RTM_DELADDR` of a notification), skipping messages of other types.
 *
 * @param message The message.
 * @returns The address, or `undefined` for other message types.
 */
export function decodeAddressIfAny(message: NetlinkMessage): AddressMessage | undefined {
  return message.type === RTM_NEWADDR || message.type === RTM_DELADDR
    ? decodeAddress(message)
    : undefined;
}

/** An address to add or delete. */
export interface AddressChange {
  /** `AF_INET` or `AF_INET6`. */
  family: number;
  /** Interface index. */
  index: number;
  /** The local address (4 or 16 bytes). */
  local: Uint8Array;
  /** Prefix length. */
  prefixLength: number;
  /** The peer of a point-to-point link; the local address when absent. */
  peer?: Uint8Array;
  /** Address flags (`IFA_F_*`). */
  flags?: number;
  /** Scope (`RT_SCOPE_*`); 0, universe, when absent. */
  scope?: number;
}

/**
 * Appends an `RTM_NEWADDR` (`NLM_F_CREATE | NLM_F_EXCL`, or `NLM_F_REPLACE`)
 * or `RTM_DELADDR` request, with `NLM_F_ACK`.
 *
 * @param writer The writer.
 * @param seq Sequence number.
 * @param add Whether to add (else delete).
 * @param change The address.
 * @param replace With `add`: replace an existing address instead of failing.
 * @returns The writer.
 */
export function writeAddressChange(
  writer: NetlinkWriter,
  seq: number,
  add: boolean,
  change: AddressChange,
  replace = false,
): NetlinkWriter {
  const flags = NLM_F_REQUEST | NLM_F_ACK |
    (add ? NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL) : 0);
  writer.begin(add ? RTM_NEWADDR : RTM_DELADDR, flags, seq).ifaddrmsg({
    family: change.family,
    prefixLength: change.prefixLength,
    flags: (change.flags ?? 0) & 0xff,
    scope: change.scope ?? 0,
    index: change.index,
  });
  writer.attr(IFA_LOCAL, change.local).attr(IFA_ADDRESS, change.peer ?? change.local);
  if ((change.flags ?? 0) > 0xff) writer.u32(IFA_FLAGS, change.flags as number);
  return writer.end();
}

/**
 * Encodes an `RTM_GETADDR` dump request.
 *
 * @param seq Sequence number.
 * @param family `AF_UNSPEC` for both families, or one of them.
 * @param index Only addresses of this interface (honoured with strict checking).
 * @returns The message bytes.
 */
export function encodeAddressDump(seq: number, family = 0, index = 0): Uint8Array<ArrayBuffer> {
  return new NetlinkWriter(32).begin(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq)
    .ifaddrmsg({ family, index }).end().bytes();
}
