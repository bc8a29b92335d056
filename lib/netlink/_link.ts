/**
 * rtnetlink link messages: requests (`RTM_GETLINK` dump and get,
 * `RTM_SETLINK`, `RTM_DELLINK`) and the decoding of `RTM_NEWLINK` into typed
 * objects, driven by attribute tables.
 *
 * @module
 */

import {
  IFF_UP,
  IFINFOMSG_LEN,
  IFLA_ADDRESS,
  IFLA_BROADCAST,
  IFLA_CARRIER,
  IFLA_CARRIER_CHANGES,
  IFLA_EXT_MASK,
  IFLA_GROUP,
  IFLA_IFALIAS,
  IFLA_IFNAME,
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
  IFLA_NUM_RX_QUEUES,
  IFLA_NUM_TX_QUEUES,
  IFLA_OPERSTATE,
  IFLA_PERM_ADDRESS,
  IFLA_PROMISCUITY,
  IFLA_PROTO_DOWN,
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
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_REQUEST,
  RTM_DELLINK,
  RTM_GETLINK,
  RTM_NEWLINK,
  RTM_SETLINK,
} from "./_constants.ts";
import {
  headerView,
  NetlinkDecodeError,
  type NetlinkMessage,
  readString,
  walkAttributes,
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

type FieldKind = "u8" | "u32" | "i32" | "string" | "bytes" | "bool";
type FieldTable<T> = Readonly<Record<number, readonly [keyof T & string, FieldKind]>>;
type Reader = (bytes: Uint8Array, view: DataView, at: number, length: number) => unknown;

const SIZES: Readonly<Record<FieldKind, number>> = {
  u8: 1,
  u32: 4,
  i32: 4,
  string: 0,
  bytes: 0,
  bool: 1,
};

const READERS: Readonly<Record<FieldKind, Reader>> = {
  u8: (_b, v, at) => v.getUint8(at),
  u32: (_b, v, at) => v.getUint32(at, true),
  i32: (_b, v, at) => v.getInt32(at, true),
  string: (b, _v, at, length) => readString(b.subarray(at, at + length)),
  bytes: (b, _v, at, length) => b.slice(at, at + length),
  bool: (_b, v, at) => v.getUint8(at) !== 0,
};

const LINK_FIELDS: FieldTable<LinkMessage> = {
  [IFLA_ADDRESS]: ["address", "bytes"],
  [IFLA_BROADCAST]: ["broadcast", "bytes"],
  [IFLA_IFNAME]: ["name", "string"],
  [IFLA_MTU]: ["mtu", "u32"],
  [IFLA_LINK]: ["link", "u32"],
  [IFLA_MASTER]: ["master", "u32"],
  [IFLA_TXQLEN]: ["txQueueLen", "u32"],
  [IFLA_OPERSTATE]: ["operstate", "u8"],
  [IFLA_LINKMODE]: ["linkMode", "u8"],
  [IFLA_IFALIAS]: ["alias", "string"],
  [IFLA_GROUP]: ["group", "u32"],
  [IFLA_PROMISCUITY]: ["promiscuity", "u32"],
  [IFLA_NUM_TX_QUEUES]: ["numTxQueues", "u32"],
  [IFLA_NUM_RX_QUEUES]: ["numRxQueues", "u32"],
  [IFLA_CARRIER]: ["carrier", "u8"],
  [IFLA_CARRIER_CHANGES]: ["carrierChanges", "u32"],
  [IFLA_LINK_NETNSID]: ["linkNetnsId", "i32"],
  [IFLA_PROTO_DOWN]: ["protoDown", "u8"],
  [IFLA_MIN_MTU]: ["minMtu", "u32"],
  [IFLA_MAX_MTU]: ["maxMtu", "u32"],
  [IFLA_PERM_ADDRESS]: ["permAddress", "bytes"],
};

const TUN_FIELDS: FieldTable<TunLinkData> = {
  [IFLA_TUN_OWNER]: ["owner", "u32"],
  [IFLA_TUN_GROUP]: ["group", "u32"],
  [IFLA_TUN_TYPE]: ["type", "u8"],
  [IFLA_TUN_PI]: ["pi", "bool"],
  [IFLA_TUN_VNET_HDR]: ["vnetHdr", "bool"],
  [IFLA_TUN_PERSIST]: ["persist", "bool"],
  [IFLA_TUN_MULTI_QUEUE]: ["multiQueue", "bool"],
  [IFLA_TUN_NUM_QUEUES]: ["numQueues", "u32"],
  [IFLA_TUN_NUM_DISABLED_QUEUES]: ["numDisabledQueues", "u32"],
};

/** `IFLA_INFO_DATA` tables by kind; data of other kinds is skipped. */
const KIND_DATA: Readonly<Record<string, readonly ["tun", FieldTable<TunLinkData>]>> = {
  tun: ["tun", TUN_FIELDS],
};

/** Reads one attribute of a table into `target`; false if the table has no such type. */
function readField<T extends object>(
  target: T,
  table: FieldTable<T>,
  bytes: Uint8Array,
  view: DataView,
  type: number,
  at: number,
  length: number,
): boolean {
  const field = table[type];
  if (field === undefined) return false;
  if (length < SIZES[field[1]]) {
    throw new NetlinkDecodeError(
      `Cannot decode netlink attribute ${type} as ${field[1]}: ${length} bytes, it needs ${
        SIZES[field[1]]
      }`,
      at,
    );
  }
  (target as Record<string, unknown>)[field[0]] = READERS[field[1]](bytes, view, at, length);
  return true;
}

function decodeLinkInfo(
  link: LinkMessage,
  bytes: Uint8Array,
  view: DataView,
  start: number,
  end: number,
): void {
  let data: readonly [number, number] | undefined;
  walkAttributes(bytes, start, end, (type, at, length) => {
    if (type === IFLA_INFO_KIND) link.kind = readString(bytes.subarray(at, at + length));
    else if (type === IFLA_INFO_SLAVE_KIND) {
      link.slaveKind = readString(bytes.subarray(at, at + length));
    } else if (type === IFLA_INFO_DATA) data = [at, at + length];
  });
  const entry = link.kind === undefined ? undefined : KIND_DATA[link.kind];
  if (entry && data) {
    const fields: TunLinkData = {};
    walkAttributes(bytes, data[0], data[1], (type, at, length) => {
      readField(fields, entry[1], bytes, view, type, at, length);
    });
    link[entry[0]] = fields;
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
  walkAttributes(p, IFINFOMSG_LEN, p.byteLength, (type, at, length) => {
    if (!readField(link, LINK_FIELDS, p, view, type, at, length) && type === IFLA_LINKINFO) {
      decodeLinkInfo(link, p, view, at, at + length);
    }
  });
  return link;
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
  const w = new NetlinkWriter(64).begin(RTM_GETLINK, NLM_F_REQUEST, seq);
  if ("index" in link) {
    w.ifinfomsg({ index: link.index });
  } else {
    w.ifinfomsg();
  }
  if (extMask !== undefined) w.u32(IFLA_EXT_MASK, extMask);
  if ("name" in link) w.string(IFLA_IFNAME, link.name);
  return w.end().bytes();
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
  /** `IFLA_MTU`. */
  mtu?: number;
  /** `IFLA_TXQLEN`. */
  txQueueLen?: number;
  /** `IFLA_ADDRESS`. */
  address?: Uint8Array;
  /** `IFLA_MASTER`; 0 detaches. */
  master?: number;
  /** `IFLA_GROUP`. */
  group?: number;
  /** `IFLA_NET_NS_FD`: move to the network namespace of this descriptor. */
  netnsFd?: number;
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
  ["master", (w, v: number) => w.u32(IFLA_MASTER, v)],
  ["group", (w, v: number) => w.u32(IFLA_GROUP, v)],
  ["netnsFd", (w, v: number) => w.u32(IFLA_NET_NS_FD, v)],
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
    flags: change.up ? IFF_UP : 0,
    change: change.up === undefined ? 0 : IFF_UP,
  });
  for (const [key, write] of CHANGE_ATTRIBUTES) {
    const value = change[key];
    if (value !== undefined) (write as (w: NetlinkWriter, v: unknown) => void)(writer, value);
  }
  return writer.end();
}
