/**
 * rtnetlink address messages: `RTM_NEWADDR` / `RTM_DELADDR` requests, the
 * `RTM_GETADDR` dump request, and table-driven decoding of address messages.
 *
 * @module
 */

import {
  IFA_ADDRESS,
  IFA_ANYCAST,
  IFA_BROADCAST,
  IFA_CACHEINFO,
  IFA_FLAGS,
  IFA_LABEL,
  IFA_LOCAL,
  IFA_PROTO,
  IFA_RT_PRIORITY,
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
  /** `IFA_ANYCAST`. */
  anycast?: Uint8Array;
  /** `IFA_RT_PRIORITY`: the metric of the prefix route. */
  metric?: number;
  /** `IFA_PROTO`: who made the address. */
  protocol?: number;
  /** `IFA_CACHEINFO`: preferred and valid lifetimes in seconds (0xffffffff = forever). */
  lifetimes?: { preferred: number; valid: number };
}

const ADDRESS_FIELDS: FieldTable<AddressMessage> = {
  [IFA_ADDRESS]: field("bytes", (a, v) => a.address = v),
  [IFA_LOCAL]: field("bytes", (a, v) => a.local = v),
  [IFA_BROADCAST]: field("bytes", (a, v) => a.broadcast = v),
  [IFA_LABEL]: field("string", (a, v) => a.label = v),
  [IFA_FLAGS]: field("u32", (a, v) => a.flags = v),
  [IFA_ANYCAST]: field("bytes", (a, v) => a.anycast = v),
  [IFA_RT_PRIORITY]: field("u32", (a, v) => a.metric = v),
  [IFA_PROTO]: field("u8", (a, v) => a.protocol = v),
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
  /**
   * `IFA_ADDRESS`: the peer of a point-to-point link, else the local address;
   * `null` leaves it out (a deletion that matches any prefix length).
   */
  peer?: Uint8Array | null;
  /** `IFA_BROADCAST`. */
  broadcast?: Uint8Array;
  /** `IFA_ANYCAST`. */
  anycast?: Uint8Array;
  /** `IFA_LABEL`. */
  label?: string;
  /** Address flags (`IFA_F_*`). */
  flags?: number;
  /** Scope (`RT_SCOPE_*`); 0, universe, when absent. */
  scope?: number;
  /** `IFA_CACHEINFO`: lifetimes in seconds (0xffffffff = forever). */
  lifetimes?: { preferred: number; valid: number };
  /** `IFA_RT_PRIORITY`: the metric of the prefix route. */
  metric?: number;
}

/**
 * What a request does: `add` fails if the address exists, `replace` adds or
 * replaces, `change` replaces (`ip addr add`, `replace`, `change`), `delete`.
 */
export type AddressRequest = "add" | "replace" | "change" | "delete";

const REQUEST_FLAGS: Readonly<Record<AddressRequest, number>> = {
  add: NLM_F_CREATE | NLM_F_EXCL,
  replace: NLM_F_CREATE | NLM_F_REPLACE,
  change: NLM_F_REPLACE,
  delete: 0,
};

/**
 * Appends an `RTM_NEWADDR` or `RTM_DELADDR` request, with `NLM_F_ACK`.
 *
 * @param writer The writer.
 * @param seq Sequence number.
 * @param request What it does.
 * @param change The address.
 * @returns The writer.
 */
export function writeAddressChange(
  writer: NetlinkWriter,
  seq: number,
  request: AddressRequest,
  change: AddressChange,
): NetlinkWriter {
  const type = request === "delete" ? RTM_DELADDR : RTM_NEWADDR;
  writer.begin(type, NLM_F_REQUEST | NLM_F_ACK | REQUEST_FLAGS[request], seq).ifaddrmsg({
    family: change.family,
    prefixLength: change.prefixLength,
    flags: (change.flags ?? 0) & 0xff,
    scope: change.scope ?? 0,
    index: change.index,
  });
  writer.attr(IFA_LOCAL, change.local);
  if (change.peer !== null) writer.attr(IFA_ADDRESS, change.peer ?? change.local);
  if (change.broadcast) writer.attr(IFA_BROADCAST, change.broadcast);
  if (change.anycast) writer.attr(IFA_ANYCAST, change.anycast);
  if (change.label !== undefined) writer.string(IFA_LABEL, change.label);
  if ((change.flags ?? 0) > 0xff) writer.u32(IFA_FLAGS, change.flags as number);
  if (change.lifetimes) {
    const info = new Uint8Array(16);
    const view = new DataView(info.buffer);
    view.setUint32(0, change.lifetimes.preferred, true);
    view.setUint32(4, change.lifetimes.valid, true);
    writer.attr(IFA_CACHEINFO, info);
  }
  if (change.metric !== undefined) writer.u32(IFA_RT_PRIORITY, change.metric);
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
