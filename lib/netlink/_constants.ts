/**
 * Numeric constants of the netlink and rtnetlink ABI (uapi `netlink.h`,
 * `rtnetlink.h`, `if_link.h`, `if_addr.h`, `if_tun.h`).
 *
 * @module
 */

/** Size of `struct nlmsghdr`. */
export const NLMSG_HDRLEN = 16;
/** Size of `struct nlattr`. */
export const NLA_HDRLEN = 4;
/** Size of `struct ifinfomsg`. */
export const IFINFOMSG_LEN = 16;
/** Size of `struct ifaddrmsg`. */
export const IFADDRMSG_LEN = 8;

/** Control message: nothing. */
export const NLMSG_NOOP = 1;
/** Control message: error or acknowledgement. */
export const NLMSG_ERROR = 2;
/** Control message: end of a multi-part message. */
export const NLMSG_DONE = 3;
/** Control message: data lost. */
export const NLMSG_OVERRUN = 4;

/** Flag: a request. */
export const NLM_F_REQUEST = 0x01;
/** Flag: part of a multi-part message. */
export const NLM_F_MULTI = 0x02;
/** Flag: ask for an acknowledgement. */
export const NLM_F_ACK = 0x04;
/** Flag: the dump was interrupted (the set changed while dumping). */
export const NLM_F_DUMP_INTR = 0x10;
/** GET flag: dump the whole table. */
export const NLM_F_DUMP = 0x300;
/** NEW flag: replace an existing object. */
export const NLM_F_REPLACE = 0x100;
/** NEW flag: fail if the object exists. */
export const NLM_F_EXCL = 0x200;
/** NEW flag: create the object if it does not exist. */
export const NLM_F_CREATE = 0x400;
/** ACK flag: the request payload was not echoed. */
export const NLM_F_CAPPED = 0x100;
/** ACK flag: extended-ack attributes follow. */
export const NLM_F_ACK_TLVS = 0x200;

/** Extended ack: a text message. */
export const NLMSGERR_ATTR_MSG = 1;
/** Extended ack: byte offset of the offending attribute in the request. */
export const NLMSGERR_ATTR_OFFS = 2;
/** Extended ack: the type of a missing attribute. */
export const NLMSGERR_ATTR_MISS_TYPE = 5;

/** Attribute type bit: the payload is nested attributes. */
export const NLA_F_NESTED = 0x8000;
/** Mask of the attribute type proper. */
export const NLA_TYPE_MASK = 0x3fff;

/** rtnetlink: new link / link dump entry. */
export const RTM_NEWLINK = 16;
/** rtnetlink: delete a link. */
export const RTM_DELLINK = 17;
/** rtnetlink: get or dump links. */
export const RTM_GETLINK = 18;
/** rtnetlink: change a link. */
export const RTM_SETLINK = 19;
/** rtnetlink: new address / address dump entry. */
export const RTM_NEWADDR = 20;
/** rtnetlink: delete an address. */
export const RTM_DELADDR = 21;
/** rtnetlink: get or dump addresses. */
export const RTM_GETADDR = 22;

/** Multicast group: link changes. */
export const RTNLGRP_LINK = 1;
/** Multicast group: IPv4 address changes. */
export const RTNLGRP_IPV4_IFADDR = 5;
/** Multicast group: IPv6 address changes. */
export const RTNLGRP_IPV6_IFADDR = 9;

/** Address family: unspecified. */
export const AF_UNSPEC = 0;
/** Address family: IPv4. */
export const AF_INET = 2;
/** Address family: IPv6. */
export const AF_INET6 = 10;
/** Address family: netlink. */
export const AF_NETLINK = 16;

/** Link attribute: hardware address. */
export const IFLA_ADDRESS = 1;
/** Link attribute: broadcast hardware address. */
export const IFLA_BROADCAST = 2;
/** Link attribute: interface name. */
export const IFLA_IFNAME = 3;
/** Link attribute: MTU. */
export const IFLA_MTU = 4;
/** Link attribute: lower link index. */
export const IFLA_LINK = 5;
/** Link attribute: ifindex of the master device. */
export const IFLA_MASTER = 10;
/** Link attribute: transmit queue length. */
export const IFLA_TXQLEN = 13;
/** `IFLA_QDISC`: the name of the root queueing discipline. */
export const IFLA_QDISC = 6;
/** Link attribute: RFC 2863 operational state. */
export const IFLA_OPERSTATE = 16;
/** Link attribute: link mode. */
export const IFLA_LINKMODE = 17;
/** Link attribute: nested kind-specific information. */
export const IFLA_LINKINFO = 18;
/** Link attribute: alias. */
export const IFLA_IFALIAS = 20;
/** Link attribute: per-family settings (inet, inet6), nested. */
export const IFLA_AF_SPEC = 26;
/** `IFLA_GSO_MAX_SEGS`: the largest GSO segment count. */
export const IFLA_GSO_MAX_SEGS = 40;
/** `IFLA_GSO_MAX_SIZE`: the largest GSO packet. */
export const IFLA_GSO_MAX_SIZE = 41;
/** `IFLA_NEW_NETNSID`: in the `RTM_DELLINK` of a link that moved, the id of its new namespace. */
export const IFLA_NEW_NETNSID = 46;
/** `IFLA_NEW_IFINDEX`: the ifindex a link gets in the namespace it moves to. */
export const IFLA_NEW_IFINDEX = 49;
/** `IFLA_GRO_MAX_SIZE`: the largest GRO packet. */
export const IFLA_GRO_MAX_SIZE = 58;
/** `IFLA_INET6_ADDR_GEN_MODE`, inside `IFLA_AF_SPEC` / `AF_INET6`. */
export const IFLA_INET6_ADDR_GEN_MODE = 8;
/** Link attribute: interface group. */
export const IFLA_GROUP = 27;
/** Link attribute: move to the netns of this fd. */
export const IFLA_NET_NS_FD = 28;
/** Link attribute: dump filter mask. */
export const IFLA_EXT_MASK = 29;
/** Link attribute: promiscuity count. */
export const IFLA_PROMISCUITY = 30;
/** Link attribute: number of transmit queues. */
export const IFLA_NUM_TX_QUEUES = 31;
/** Link attribute: number of receive queues. */
export const IFLA_NUM_RX_QUEUES = 32;
/** Link attribute: carrier state. */
export const IFLA_CARRIER = 33;
/** Link attribute: carrier change count. */
export const IFLA_CARRIER_CHANGES = 35;
/** Link attribute: netns id of the peer link. */
export const IFLA_LINK_NETNSID = 37;
/** Link attribute: protocol down. */
export const IFLA_PROTO_DOWN = 39;
/** Link attribute: minimum MTU. */
export const IFLA_MIN_MTU = 50;
/** Link attribute: maximum MTU. */
export const IFLA_MAX_MTU = 51;
/** Link attribute: permanent hardware address. */
export const IFLA_PERM_ADDRESS = 54;

/** IFLA_LINKINFO: the kind string. */
export const IFLA_INFO_KIND = 1;
/** IFLA_LINKINFO: kind-specific data. */
export const IFLA_INFO_DATA = 2;
/** IFLA_LINKINFO: the kind of the master this link is enslaved to. */
export const IFLA_INFO_SLAVE_KIND = 4;

/** IFLA_INFO_DATA of kind "tun": owner uid. */
export const IFLA_TUN_OWNER = 1;
/** IFLA_INFO_DATA of kind "tun": group gid. */
export const IFLA_TUN_GROUP = 2;
/** IFLA_INFO_DATA of kind "tun": 1 = tun, 2 = tap. */
export const IFLA_TUN_TYPE = 3;
/** IFLA_INFO_DATA of kind "tun": packet information header on. */
export const IFLA_TUN_PI = 4;
/** IFLA_INFO_DATA of kind "tun": virtio-net header on. */
export const IFLA_TUN_VNET_HDR = 5;
/** IFLA_INFO_DATA of kind "tun": persistent. */
export const IFLA_TUN_PERSIST = 6;
/** IFLA_INFO_DATA of kind "tun": multi-queue. */
export const IFLA_TUN_MULTI_QUEUE = 7;
/** IFLA_INFO_DATA of kind "tun": attached queues (multi-queue only). */
export const IFLA_TUN_NUM_QUEUES = 8;
/** IFLA_INFO_DATA of kind "tun": disabled queues (multi-queue only). */
export const IFLA_TUN_NUM_DISABLED_QUEUES = 9;

/** IFLA_EXT_MASK bit: do not include statistics. */
export const RTEXT_FILTER_SKIP_STATS = 8;

/** Address attribute: the (peer) address. */
export const IFA_ADDRESS = 1;
/** Address attribute: the local address. */
export const IFA_LOCAL = 2;
/** Address attribute: the label. */
export const IFA_LABEL = 3;
/** Address attribute: the broadcast address. */
export const IFA_BROADCAST = 4;
/** Address attribute: lifetimes. */
export const IFA_CACHEINFO = 6;
/** Address attribute: 32-bit flags. */
export const IFA_FLAGS = 8;
/** `IFA_RT_PRIORITY`: the metric of the address's prefix route. */
export const IFA_RT_PRIORITY = 9;
/** `IFA_PROTO`: who made the address (`IFAPROT_*`). */
export const IFA_PROTO = 11;
/** `IFA_ANYCAST`. */
export const IFA_ANYCAST = 5;

/** Device flag: administratively up. */
export const IFF_UP = 0x1;
/** `IFF_NOTRAILERS`. */
export const IFF_NOTRAILERS = 0x20;
/** `IFF_NOARP`. */
export const IFF_NOARP = 0x80;
/** `IFF_PROMISC`. */
export const IFF_PROMISC = 0x100;
/** `IFF_ALLMULTI`. */
export const IFF_ALLMULTI = 0x200;
/** `IFF_MULTICAST`. */
export const IFF_MULTICAST = 0x1000;
/** `IFF_DYNAMIC`. */
export const IFF_DYNAMIC = 0x8000;
/** Device flag: running (operationally up). */
export const IFF_RUNNING = 0x40;
/** Device flag: point-to-point link. */
export const IFF_POINTOPOINT = 0x10;
/** Device flag: carrier present. */
export const IFF_LOWER_UP = 0x10000;

/** Hardware type of a tap device. */
export const ARPHRD_ETHER = 1;
