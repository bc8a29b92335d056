/**
 * rtnetlink link messages: requests (`RTM_GETLINK` dump and get,
 * `RTM_SETLINK`, `RTM_DELLINK`) and the decoding of `RTM_NEWLINK` into typed
 * objects, driven by attribute tables.
 *
 * @module
 */

import {
  AF_INET6,
  IFF_UP,
  IFINFOMSG_LEN,
  IFLA_ADDRESS,
  IFLA_AF_SPEC,
  IFLA_BROADCAST,
  IFLA_CARRIER,
  IFLA_CARRIER_CHANGES,
  IFLA_EXT_MASK,
  IFLA_GRO_MAX_SIZE,
  IFLA_GROUP,
  IFLA_GSO_MAX_SEGS,
  IFLA_GSO_MAX_SIZE,
  IFLA_IFALIAS,
  IFLA_IFNAME,
  IFLA_INET6_ADDR_GEN_MODE,
  IFLA_INFO_DATA,
  IFLA_INFO_KIND,
  IFLA_INFO_SLAVE_KIND,
  IFLA_LINK,
  IFLA_LINK_NETNSID,
  IFLA_LINKINFO,
  IFLA_LINKMODE,
  IFLA_MASTER,
  IFLA_MAX_MTU,
  IFLA_MIN_MTU,
  IFLA_MTU,
  IFLA_NET_NS_FD,
  IFLA_NEW_IFINDEX,
  IFLA_NEW_NETNSID,
  IFLA_NUM_RX_QUEUES,
  IFLA_NUM_TX_QUEUES,
  IFLA_OPERSTATE,
  IFLA_PERM_ADDRESS,
  IFLA_PROMISCUITY,
  IFLA_PROTO_DOWN,
  IFLA_QDISC,
  IFLA_TUN_GROUP,
  IFLA_TUN_MULTI_QUEUE,
  IFLA_TUN_NUM_DISABLED_QUEUES,
  IFLA_TUN_NUM_QUEUES,
  IFLA_TUN_OWNER,
  IFLA_TUN_PERSIST,
  IFLA_TUN_PI,
  IFLA_TUN_TYPE,
  IFLA_TUN_VNET_HDR,
  IFLA_TXQLEN,
  NLA_HDRLEN,
  NLA_TYPE_MASK,
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_REQUEST,
  RTM_DELLINK,
  RTM_GETLINK,
  RTM_NEWLINK,
  RTM_SETLINK,
} from "./_constants.ts";
import {
  type DatagramViews,
  decodeFields,
  field,
  type FieldTable,
  headerView,
  NetlinkDecodeError,
  type NetlinkMessage,
  readStringAt,
} from "./_reader.ts";
import { NetlinkWriter } from "./_writer.ts";

/** `IFLA_INFO_DATA` of a link of kind "tun" (the `IFLA_TUN_*` attributes). */
export interface TunLinkData {
  /** 1 = tun, 2 = tap. */
  type?: number;
  /** Owner uid, present only when set. */
  owner?: number;
  /** Group gid, present only when set. */
  group?: number;
  /** Packet information header on (the inverse of `IFF_NO_PI`). */
  pi?: boolean;
  /** virtio-net header on. */
  vnetHdr?: boolean;
  /** Persistent. */
  persist?: boolean;
  /** Multi-queue. */
  multiQueue?: boolean;
  /** Attached queues (multi-queue devices only). */
  numQueues?: number;
  /** Disabled queues (multi-queue devices only). */
  numDisabledQueues?: number;
}

/** A decoded `RTM_NEWLINK` (or `RTM_DELLINK`) message. */
export interface LinkMessage {
  /** Message type: `RTM_NEWLINK` or `RTM_DELLINK`. */
  messageType: number;
  /** `ifi_family`. */
  family: number;
  /** `ifi_type`: the hardware type (`ARPHRD_*`). */
  type: number;
  /** `ifi_index`. */
  index: number;
  /** `ifi_flags`: device flags (`IFF_*`). */
  flags: number;
  /** `ifi_change`. */
  change: number;
  /** `IFLA_IFNAME`. */
  name?: string;
  /** `IFLA_MTU`. */
  mtu?: number;
  /** `IFLA_MIN_MTU`. */
  minMtu?: number;
  /** `IFLA_MAX_MTU`. */
  maxMtu?: number;
  /** `IFLA_TXQLEN`. */
  txQueueLen?: number;
  /** `IFLA_QDISC`. */
  qdisc?: string;
  /** `IFLA_OPERSTATE` (`IF_OPER_*`). */
  operstate?: number;
  /** `IFLA_LINKMODE`. */
  linkMode?: number;
  /** `IFLA_CARRIER`. */
  carrier?: number;
  /** `IFLA_CARRIER_CHANGES`. */
  carrierChanges?: number;
  /** `IFLA_ADDRESS`. */
  address?: Uint8Array;
  /** `IFLA_BROADCAST`. */
  broadcast?: Uint8Array;
  /** `IFLA_PERM_ADDRESS`. */
  permAddress?: Uint8Array;
  /** `IFLA_MASTER`: ifindex of the master. */
  master?: number;
  /** `IFLA_LINK`. */
  link?: number;
  /** `IFLA_GROUP`. */
  group?: number;
  /** `IFLA_PROMISCUITY`. */
  promiscuity?: number;
  /** `IFLA_NUM_TX_QUEUES`. */
  numTxQueues?: number;
  /** `IFLA_NUM_RX_QUEUES`. */
  numRxQueues?: number;
  /** `IFLA_LINK_NETNSID`. */
  linkNetnsId?: number;
  /** `IFLA_NEW_NETNSID`: set in the `RTM_DELLINK` of a link that moved to another namespace. */
  newNetnsId?: number;
  /** `IFLA_NEW_IFINDEX`: with `newNetnsId`, the index it has there. */
  newIndex?: number;
  /** `IFLA_IFALIAS`. */
  alias?: string;
  /** `IFLA_PROTO_DOWN`. */
  protoDown?: number;
  /** `IFLA_LINKINFO` / `IFLA_INFO_KIND`. */
  kind?: string;
  /** `IFLA_LINKINFO` / `IFLA_INFO_SLAVE_KIND`. */
  slaveKind?: string;
  /** `IFLA_LINKINFO` / `IFLA_INFO_DATA` of kind "tun". */
  tun?: TunLinkData;
}

const LINK_FIELDS: FieldTable<LinkMessage> = {
  [IFLA_ADDRESS]: field("bytes", (l, v) => l.address = v),
  [IFLA_BROADCAST]: field("bytes", (l, v) => l.broadcast = v),
  [IFLA_IFNAME]: field("string", (l, v) => l.name = v),
  [IFLA_MTU]: field("u32", (l, v) => l.mtu = v),
  [IFLA_LINK]: field("u32", (l, v) => l.link = v),
  [IFLA_MASTER]: field("u32", (l, v) => l.master = v),
  [IFLA_TXQLEN]: field("u32", (l, v) => l.txQueueLen = v),
  [IFLA_QDISC]: field("string", (l, v) => l.qdisc = v),
  [IFLA_OPERSTATE]: field("u8", (l, v) => l.operstate = v),
  [IFLA_LINKMODE]: field("u8", (l, v) => l.linkMode = v),
  [IFLA_IFALIAS]: field("string", (l, v) => l.alias = v),
  [IFLA_GROUP]: field("u32", (l, v) => l.group = v),
  [IFLA_PROMISCUITY]: field("u32", (l, v) => l.promiscuity = v),
  [IFLA_NUM_TX_QUEUES]: field("u32", (l, v) => l.numTxQueues = v),
  [IFLA_NUM_RX_QUEUES]: field("u32", (l, v) => l.numRxQueues = v),
  [IFLA_CARRIER]: field("u8", (l, v) => l.carrier = v),
  [IFLA_CARRIER_CHANGES]: field("u32", (l, v) => l.carrierChanges = v),
  [IFLA_LINK_NETNSID]: field("i32", (l, v) => l.linkNetnsId = v),
  [IFLA_PROTO_DOWN]: field("u8", (l, v) => l.protoDown = v),
  [IFLA_MIN_MTU]: field("u32", (l, v) => l.minMtu = v),
  [IFLA_MAX_MTU]: field("u32", (l, v) => l.maxMtu = v),
  [IFLA_PERM_ADDRESS]: field("bytes", (l, v) => l.permAddress = v),
  [IFLA_NEW_NETNSID]: field("i32", (l, v) => l.newNetnsId = v),
  [IFLA_NEW_IFINDEX]: field("i32", (l, v) => l.newIndex = v),
};

const TUN_FIELDS: FieldTable<TunLinkData> = {
  [IFLA_TUN_OWNER]: field("u32", (t, v) => t.owner = v),
  [IFLA_TUN_GROUP]: field("u32", (t, v) => t.group = v),
  [IFLA_TUN_TYPE]: field("u8", (t, v) => t.type = v),
  [IFLA_TUN_PI]: field("bool", (t, v) => t.pi = v),
  [IFLA_TUN_VNET_HDR]: field("bool", (t, v) => t.vnetHdr = v),
  [IFLA_TUN_PERSIST]: field("bool", (t, v) => t.persist = v),
  [IFLA_TUN_MULTI_QUEUE]: field("bool", (t, v) => t.multiQueue = v),
  [IFLA_TUN_NUM_QUEUES]: field("u32", (t, v) => t.numQueues = v),
  [IFLA_TUN_NUM_DISABLED_QUEUES]: field("u32", (t, v) => t.numDisabledQueues = v),
};

/** `IFLA_INFO_DATA` decoders by kind; data of other kinds is skipped. */
const KIND_DATA: Readonly<
  Record<string, readonly [FieldTable<TunLinkData>, (link: LinkMessage, data: TunLinkData) => void]>
> = {
  tun: [TUN_FIELDS, (l, data) => l.tun = data],
};

const INFO_FIELDS: FieldTable<LinkMessage> = {
  [IFLA_INFO_KIND]: field("string", (l, v) => l.kind = v),
  [IFLA_INFO_SLAVE_KIND]: field("string", (l, v) => l.slaveKind = v),
};

function decodeLinkInfo(
  link: LinkMessage,
  bytes: Uint8Array,
  view: DataView,
  start: number,
  end: number,
): void {
  let dataStart = -1;
  let dataEnd = -1;
  decodeFields(link, INFO_FIELDS, bytes, start, end, view, (type, at, length) => {
    if (type === IFLA_INFO_DATA) {
      dataStart = at;
      dataEnd = at + length;
    }
  });
  const entry = link.kind === undefined ? undefined : KIND_DATA[link.kind];
  if (entry && dataStart >= 0) {
    entry[1](link, decodeFields<TunLinkData>({}, entry[0], bytes, dataStart, dataEnd, view));
  }
}

/**
 * Decodes an `RTM_NEWLINK`/`RTM_DELLINK` message. Only the attributes of
 * the tables are read; the rest (statistics, `IFLA_AF_SPEC`, …) is walked
 * over without being copied.
 *
 * @param message The message.
 * @returns The link.
 */
export function decodeLink(message: NetlinkMessage): LinkMessage {
  const p = message.payload;
  const view = headerView(message, IFINFOMSG_LEN, "link message");
  const link: LinkMessage = {
    messageType: message.type,
    family: view.getUint8(0),
    type: view.getUint16(2, true),
    index: view.getInt32(4, true),
    flags: view.getUint32(8, true),
    change: view.getUint32(12, true),
  };
  return decodeFields(
    link,
    LINK_FIELDS,
    p,
    IFINFOMSG_LEN,
    p.byteLength,
    view,
    (type, at, length) => {
      if (type === IFLA_LINKINFO) decodeLinkInfo(link, p, view, at, at + length);
    },
  );
}

/**
 * Decodes a link message of a dump, skipping messages of other types.
 *
 * @param message The message.
 * @returns The link, or `undefined` for other message types.
 */
export function decodeLinkIfAny(message: NetlinkMessage): LinkMessage | undefined {
  return message.type === RTM_NEWLINK || message.type === RTM_DELLINK
    ? decodeLink(message)
    : undefined;
}

/**
 * What a listing of TUN/TAP devices needs of a link message, decoded in
 * place by {@linkcode scanTunLink}. One object serves every message of a
 * dump, so scanning allocates nothing but the name; numbers the message
 * does not carry are -1, and the hardware address is a range of
 * {@linkcode TunLinkScan.payload}.
 */
export class TunLinkScan {
  /** `ifi_index`. */
  index = 0;
  /** `ifi_flags`. */
  flags = 0;
  /** `ifi_type` (`ARPHRD_*`). */
  hwType = 0;
  /** `IFLA_IFNAME`; empty when absent. */
  name = "";
  /** `IFLA_MTU`. */
  mtu = -1;
  /** `IFLA_MIN_MTU`. */
  minMtu = -1;
  /** `IFLA_MAX_MTU`. */
  maxMtu = -1;
  /** `IFLA_TXQLEN`. */
  txQueueLen = -1;
  /** `IFLA_OPERSTATE`. */
  operstate = -1;
  /** `IFLA_CARRIER`. */
  carrier = -1;
  /** `IFLA_MASTER`. */
  master = -1;
  /** The datagram, which holds the address. */
  payload: Uint8Array = new Uint8Array(0);
  /** Where `IFLA_ADDRESS` starts in it; -1 when absent. */
  addressAt = -1;
  /** Its length. */
  addressLength = 0;
  /** Whether `IFLA_INFO_KIND` is "tun". */
  tun = false;
  /** `IFLA_TUN_TYPE`: 1 tun, 2 tap. */
  tunType = -1;
  /** `IFLA_TUN_OWNER`. */
  owner = -1;
  /** `IFLA_TUN_GROUP`. */
  group = -1;
  /** `IFLA_TUN_PI`. */
  pi = false;
  /** `IFLA_TUN_VNET_HDR`. */
  vnetHdr = false;
  /** `IFLA_TUN_PERSIST`. */
  persist = false;
  /** `IFLA_TUN_MULTI_QUEUE`. */
  multiQueue = false;
  /** `IFLA_TUN_NUM_QUEUES`. */
  numQueues = -1;
  /** `IFLA_TUN_NUM_DISABLED_QUEUES`. */
  numDisabledQueues = -1;
}

/** The error for an attribute too short for its value. */
function tooShort(type: number, at: number, length: number, size: number): NetlinkDecodeError {
  return new NetlinkDecodeError(
    `Cannot decode netlink attribute ${type}: ${length} bytes, it needs ${size}`,
    at,
  );
}

/** The error for an attribute header that does not fit in `[at, end)`. */
function misfit(d: DatagramViews, at: number, end: number): NetlinkDecodeError {
  const left = end - at;
  return left < NLA_HDRLEN
    ? new NetlinkDecodeError(
      `Cannot decode netlink attribute: ${left} trailing bytes, a header needs ${NLA_HDRLEN}`,
      at,
    )
    : new NetlinkDecodeError(
      `Cannot decode netlink attribute ${
        (d.u16[(at >> 1) + 1] as number) & NLA_TYPE_MASK
      }: length ${d.u16[at >> 1]} does not fit in ${left} bytes`,
      at,
    );
}

/** Whether `bytes[at, at + length)` is the string "tun" (with or without its NUL). */
function isTunKind(bytes: Uint8Array, at: number, length: number): boolean {
  return (length === 3 || (length >= 4 && bytes[at + 3] === 0)) && bytes[at] === 0x74 &&
    bytes[at + 1] === 0x75 && bytes[at + 2] === 0x6e;
}

function scanTunData(scan: TunLinkScan, d: DatagramViews, start: number, end: number): void {
  const { bytes, u16, u32 } = d;
  for (let at = start; at < end;) {
    const length = end - at < NLA_HDRLEN ? 0 : u16[at >> 1] as number;
    if (length < NLA_HDRLEN || length > end - at) throw misfit(d, at, end);
    const type = (u16[(at >> 1) + 1] as number) & NLA_TYPE_MASK;
    const data = at + NLA_HDRLEN;
    const size = length - NLA_HDRLEN;
    if (type >= IFLA_TUN_OWNER && type <= IFLA_TUN_NUM_DISABLED_QUEUES) {
      const wide = type === IFLA_TUN_OWNER || type === IFLA_TUN_GROUP ||
        type === IFLA_TUN_NUM_QUEUES || type === IFLA_TUN_NUM_DISABLED_QUEUES;
      if (size < (wide ? 4 : 1)) throw tooShort(type, data, size, wide ? 4 : 1);
      const value = wide ? u32[data >> 2] as number : bytes[data] as number;
      switch (type) {
        case IFLA_TUN_OWNER:
          scan.owner = value;
          break;
        case IFLA_TUN_GROUP:
          scan.group = value;
          break;
        case IFLA_TUN_TYPE:
          scan.tunType = value;
          break;
        case IFLA_TUN_PI:
          scan.pi = value !== 0;
          break;
        case IFLA_TUN_VNET_HDR:
          scan.vnetHdr = value !== 0;
          break;
        case IFLA_TUN_PERSIST:
          scan.persist = value !== 0;
          break;
        case IFLA_TUN_MULTI_QUEUE:
          scan.multiQueue = value !== 0;
          break;
        case IFLA_TUN_NUM_QUEUES:
          scan.numQueues = value;
          break;
        default:
          scan.numDisabledQueues = value;
      }
    }
    at += (length + 3) & ~3;
  }
}

function scanLinkInfo(scan: TunLinkScan, d: DatagramViews, start: number, end: number): void {
  const u16 = d.u16;
  let dataAt = -1;
  let dataEnd = -1;
  for (let at = start; at < end;) {
    const length = end - at < NLA_HDRLEN ? 0 : u16[at >> 1] as number;
    if (length < NLA_HDRLEN || length > end - at) throw misfit(d, at, end);
    const type = (u16[(at >> 1) + 1] as number) & NLA_TYPE_MASK;
    if (type === IFLA_INFO_KIND) {
      scan.tun = isTunKind(d.bytes, at + NLA_HDRLEN, length - NLA_HDRLEN);
    } else if (type === IFLA_INFO_DATA) {
      dataAt = at + NLA_HDRLEN;
      dataEnd = at + length;
    }
    at += (length + 3) & ~3;
  }
  if (scan.tun && dataAt >= 0) scanTunData(scan, d, dataAt, dataEnd);
}

/**
 * Decodes what a listing needs of an `RTM_NEWLINK` message into `scan`, in
 * place, with one pass over its attributes and no allocation but the name:
 * the fast path of dumps ({@linkcode DumpReader} with a scan; the attribute
 * tables of {@linkcode decodeLink} serve everything else). Lengths are
 * checked as {@linkcode decodeLink} checks them.
 *
 * @param d The datagram.
 * @param start Where the message's payload (its `ifinfomsg`) starts: a multiple of 4.
 * @param end Where the message ends.
 * @param scan Overwritten with the message's values.
 * @returns Whether the message is a link of kind "tun" with a name.
 * @throws {NetlinkDecodeError} When a length does not fit.
 */
export function scanTunLink(
  d: DatagramViews,
  start: number,
  end: number,
  scan: TunLinkScan,
): boolean {
  if (end - start < IFINFOMSG_LEN) {
    throw new NetlinkDecodeError(
      `Cannot decode link message: ${end - start} bytes, its header needs ${IFINFOMSG_LEN}`,
      start,
    );
  }
  const { bytes, u16, u32 } = d;
  scan.hwType = u16[(start >> 1) + 1] as number;
  scan.index = (u32[(start >> 2) + 1] as number) | 0;
  scan.flags = u32[(start >> 2) + 2] as number;
  scan.name = "";
  scan.mtu =
    scan.minMtu =
    scan.maxMtu =
    scan.txQueueLen =
      -1;
  scan.operstate = scan.carrier = scan.master = -1;
  scan.payload = bytes;
  scan.addressAt = -1;
  scan.addressLength = 0;
  scan.tun =
    scan.pi =
    scan.vnetHdr =
    scan.persist =
    scan.multiQueue =
      false;
  scan.tunType =
    scan.owner =
    scan.group =
    scan.numQueues =
    scan.numDisabledQueues =
      -1;
  let named = false;
  for (let at = start + IFINFOMSG_LEN; at < end;) {
    const length = end - at < NLA_HDRLEN ? 0 : u16[at >> 1] as number;
    if (length < NLA_HDRLEN || length > end - at) throw misfit(d, at, end);
    const type = (u16[(at >> 1) + 1] as number) & NLA_TYPE_MASK;
    const data = at + NLA_HDRLEN;
    const size = length - NLA_HDRLEN;
    switch (type) {
      case IFLA_IFNAME:
        scan.name = readStringAt(bytes, data, data + size);
        named = true;
        break;
      case IFLA_ADDRESS:
        scan.addressAt = data;
        scan.addressLength = size;
        break;
      case IFLA_MTU:
        if (size < 4) throw tooShort(type, data, size, 4);
        scan.mtu = u32[data >> 2] as number;
        break;
      case IFLA_MIN_MTU:
        if (size < 4) throw tooShort(type, data, size, 4);
        scan.minMtu = u32[data >> 2] as number;
        break;
      case IFLA_MAX_MTU:
        if (size < 4) throw tooShort(type, data, size, 4);
        scan.maxMtu = u32[data >> 2] as number;
        break;
      case IFLA_TXQLEN:
        if (size < 4) throw tooShort(type, data, size, 4);
        scan.txQueueLen = u32[data >> 2] as number;
        break;
      case IFLA_MASTER:
        if (size < 4) throw tooShort(type, data, size, 4);
        scan.master = u32[data >> 2] as number;
        break;
      case IFLA_OPERSTATE:
        if (size < 1) throw tooShort(type, data, size, 1);
        scan.operstate = bytes[data] as number;
        break;
      case IFLA_CARRIER:
        if (size < 1) throw tooShort(type, data, size, 1);
        scan.carrier = bytes[data] as number;
        break;
      case IFLA_LINKINFO:
        scanLinkInfo(scan, d, data, data + size);
        break;
    }
    at += (length + 3) & ~3;
  }
  return scan.tun && named;
}

/** Options of {@linkcode encodeLinkDump}. */
export interface LinkDumpOptions {
  /** Sequence number. */
  seq: number;
  /** Ask the kernel to dump only links of this kind (`IFLA_INFO_KIND`). */
  kind?: string;
  /** Whether the kind string carries its NUL (ip sends it without). */
  kindNul?: boolean;
  /** `IFLA_EXT_MASK` bits, such as `RTEXT_FILTER_SKIP_STATS`. */
  extMask?: number;
  /** Only links enslaved to this master ifindex (a kernel-side filter). */
  master?: number;
}

/**
 * Encodes an `RTM_GETLINK` dump request. With `kind: "tun"`, `kindNul:
 * false` and no `extMask` it is byte for byte the 44-byte request of
 * `ip tuntap show`.
 *
 * @param options The request.
 * @returns The message bytes.
 */
export function encodeLinkDump(options: LinkDumpOptions): Uint8Array<ArrayBuffer> {
  const w = new NetlinkWriter(64).begin(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, options.seq)
    .ifinfomsg();
  if (options.extMask !== undefined) w.u32(IFLA_EXT_MASK, options.extMask);
  if (options.master !== undefined) w.u32(IFLA_MASTER, options.master);
  const kind = options.kind;
  if (kind !== undefined) {
    w.nest(IFLA_LINKINFO, (n) => n.string(IFLA_INFO_KIND, kind, options.kindNul ?? true));
  }
  return w.end().bytes();
}

/** Which link a request is about: by index, or by name. */
export type LinkSelector = { index: number } | { name: string };

function selectLink(w: NetlinkWriter, link: LinkSelector): void {
  if ("index" in link) {
    w.ifinfomsg({ index: link.index });
  } else {
    w.ifinfomsg().string(IFLA_IFNAME, link.name);
  }
}

/**
 * Appends an `RTM_GETLINK` request for one link to `writer`.
 *
 * @param writer The writer.
 * @param seq Sequence number.
 * @param link The link.
 * @param extMask `IFLA_EXT_MASK` bits.
 * @returns The writer.
 */
export function writeLinkGet(
  writer: NetlinkWriter,
  seq: number,
  link: LinkSelector,
  extMask?: number,
): NetlinkWriter {
  writer.begin(RTM_GETLINK, NLM_F_REQUEST, seq);
  if ("index" in link) {
    writer.ifinfomsg({ index: link.index });
  } else {
    writer.ifinfomsg();
  }
  if (extMask !== undefined) writer.u32(IFLA_EXT_MASK, extMask);
  if ("name" in link) writer.string(IFLA_IFNAME, link.name);
  return writer.end();
}

/**
 * Encodes an `RTM_GETLINK` request for one link.
 *
 * @param seq Sequence number.
 * @param link The link.
 * @param extMask `IFLA_EXT_MASK` bits.
 * @returns The message bytes.
 */
export function encodeLinkGet(
  seq: number,
  link: LinkSelector,
  extMask?: number,
): Uint8Array<ArrayBuffer> {
  return writeLinkGet(new NetlinkWriter(64), seq, link, extMask).bytes();
}

/**
 * Appends an `RTM_DELLINK` request (with `NLM_F_ACK`) to `writer`.
 *
 * @param writer The writer.
 * @param seq Sequence number.
 * @param link The link, or `{ group }` to delete every link of an interface group.
 * @returns The writer.
 */
export function writeLinkDelete(
  writer: NetlinkWriter,
  seq: number,
  link: LinkSelector | { group: number },
): NetlinkWriter {
  writer.begin(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
  if ("group" in link) {
    writer.ifinfomsg().u32(IFLA_GROUP, link.group);
  } else {
    selectLink(writer, link);
  }
  return writer.end();
}

/** Changes to a link, for {@linkcode writeLinkChange}. */
export interface LinkChange {
  /** The link's index. */
  index: number;
  /** Administratively up or down (`IFF_UP` in `ifi_flags`/`ifi_change`). */
  up?: boolean;
  /** Other device flags to set (`IFF_*`), within {@linkcode LinkChange.flagMask}. */
  flags?: number;
  /** The device flags {@linkcode LinkChange.flags} changes (`ifi_change`). */
  flagMask?: number;
  /** `IFLA_MTU`. */
  mtu?: number;
  /** `IFLA_TXQLEN`. */
  txQueueLen?: number;
  /** `IFLA_ADDRESS`. */
  address?: Uint8Array;
  /** `IFLA_BROADCAST`. */
  broadcast?: Uint8Array;
  /** `IFLA_MASTER`; 0 detaches. */
  master?: number;
  /** `IFLA_GROUP`. */
  group?: number;
  /** `IFLA_IFALIAS`; empty clears. */
  alias?: string;
  /** `IFLA_CARRIER`. */
  carrier?: number;
  /** `IFLA_OPERSTATE` (`IF_OPER_*`). */
  operstate?: number;
  /** `IFLA_LINKMODE`: 0 default, 1 dormant. */
  linkMode?: number;
  /** `IFLA_PROTO_DOWN`. */
  protoDown?: number;
  /** `IFLA_GSO_MAX_SIZE`. */
  gsoMaxSize?: number;
  /** `IFLA_GSO_MAX_SEGS`. */
  gsoMaxSegs?: number;
  /** `IFLA_GRO_MAX_SIZE`. */
  groMaxSize?: number;
  /** `IFLA_AF_SPEC` / `AF_INET6` / `IFLA_INET6_ADDR_GEN_MODE`. */
  addrGenMode?: number;
  /** `IFLA_NET_NS_FD`: move to the network namespace of this descriptor. */
  netnsFd?: number;
  /** `IFLA_NEW_IFINDEX`: the index the link gets where it moves to. */
  newIndex?: number;
  /** `IFLA_IFNAME`: the new name. */
  name?: string;
}

/** How each field of a {@linkcode LinkChange} becomes an attribute. */
const CHANGE_ATTRIBUTES: readonly (readonly [
  keyof LinkChange,
  (w: NetlinkWriter, value: never) => void,
])[] = [
  ["mtu", (w, v: number) => w.u32(IFLA_MTU, v)],
  ["txQueueLen", (w, v: number) => w.u32(IFLA_TXQLEN, v)],
  ["address", (w, v: Uint8Array) => w.attr(IFLA_ADDRESS, v)],
  ["broadcast", (w, v: Uint8Array) => w.attr(IFLA_BROADCAST, v)],
  ["master", (w, v: number) => w.u32(IFLA_MASTER, v)],
  ["group", (w, v: number) => w.u32(IFLA_GROUP, v)],
  ["alias", (w, v: string) => w.string(IFLA_IFALIAS, v, false)],
  ["carrier", (w, v: number) => w.u8(IFLA_CARRIER, v)],
  ["operstate", (w, v: number) => w.u8(IFLA_OPERSTATE, v)],
  ["linkMode", (w, v: number) => w.u8(IFLA_LINKMODE, v)],
  ["protoDown", (w, v: number) => w.u8(IFLA_PROTO_DOWN, v)],
  ["gsoMaxSize", (w, v: number) => w.u32(IFLA_GSO_MAX_SIZE, v)],
  ["gsoMaxSegs", (w, v: number) => w.u32(IFLA_GSO_MAX_SEGS, v)],
  ["groMaxSize", (w, v: number) => w.u32(IFLA_GRO_MAX_SIZE, v)],
  [
    "addrGenMode",
    (w, v: number) =>
      w.nest(IFLA_AF_SPEC, (af) => af.nest(AF_INET6, (i6) => i6.u8(IFLA_INET6_ADDR_GEN_MODE, v))),
  ],
  ["netnsFd", (w, v: number) => w.u32(IFLA_NET_NS_FD, v)],
  ["newIndex", (w, v: number) => w.u32(IFLA_NEW_IFINDEX, v)],
  ["name", (w, v: string) => w.string(IFLA_IFNAME, v)],
];

/**
 * Appends an `RTM_SETLINK` request (with `NLM_F_ACK`). It never carries
 * `IFLA_LINKINFO`: the kernel refuses any message naming kind "tun".
 *
 * @param writer The writer.
 * @param seq Sequence number.
 * @param change The changes.
 * @returns The writer.
 */
export function writeLinkChange(
  writer: NetlinkWriter,
  seq: number,
  change: LinkChange,
): NetlinkWriter {
  writer.begin(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, seq).ifinfomsg({
    index: change.index,
    flags: (change.up ? IFF_UP : 0) | ((change.flags ?? 0) & (change.flagMask ?? 0)),
    change: (change.up === undefined ? 0 : IFF_UP) | (change.flagMask ?? 0),
  });
  for (const [key, write] of CHANGE_ATTRIBUTES) {
    const value = change[key];
    if (value !== undefined) (write as (w: NetlinkWriter, v: unknown) => void)(writer, value);
  }
  return writer.end();
}
