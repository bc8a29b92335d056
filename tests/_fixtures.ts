/** Byte fixtures shared by the codec tests and the fuzz test. */

import {
  IFLA_ADDRESS,
  IFLA_AF_SPEC,
  IFLA_CARRIER,
  IFLA_IFNAME,
  IFLA_INFO_DATA,
  IFLA_INFO_KIND,
  IFLA_LINKINFO,
  IFLA_MTU,
  IFLA_OPERSTATE,
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
  NetlinkWriter,
  NLM_F_MULTI,
  RTM_NEWLINK,
} from "../lib/netlink/mod.ts";

/** A kernel-like RTM_NEWLINK of a tun device, as a test fixture. */
export function tunLinkMessage(
  seq: number,
  index: number,
  name: string,
  tun: {
    type: number;
    owner?: number;
    group?: number;
    mq?: boolean;
    flags?: number;
    /** Bytes of `IFLA_AF_SPEC` (inet and inet6 settings; the kernel sends about 760). */
    afSpec?: number;
  },
): NetlinkWriter {
  const w = new NetlinkWriter().begin(RTM_NEWLINK, NLM_F_MULTI | (tun.flags ?? 0), seq, 4242)
    .ifinfomsg({ type: tun.type === 2 ? 1 : 0xfffe, index, flags: 0x1090 })
    .string(IFLA_IFNAME, name)
    .u32(IFLA_TXQLEN, 500)
    .u8(IFLA_OPERSTATE, 2)
    .u32(IFLA_MTU, 1500)
    .u8(IFLA_CARRIER, 0);
  if (tun.type === 2) w.attr(IFLA_ADDRESS, new Uint8Array([0x2a, 1, 2, 3, 4, 5]));
  if (tun.afSpec) w.attr(IFLA_AF_SPEC, new Uint8Array(tun.afSpec));
  w.nest(IFLA_LINKINFO, (li) => {
    li.string(IFLA_INFO_KIND, "tun").nest(IFLA_INFO_DATA, (d) => {
      d.u8(IFLA_TUN_TYPE, tun.type);
      if (tun.owner !== undefined) d.u32(IFLA_TUN_OWNER, tun.owner);
      if (tun.group !== undefined) d.u32(IFLA_TUN_GROUP, tun.group);
      d.u8(IFLA_TUN_PI, 0).u8(IFLA_TUN_VNET_HDR, 1).u8(IFLA_TUN_PERSIST, 1)
        .u8(IFLA_TUN_MULTI_QUEUE, tun.mq ? 1 : 0);
      if (tun.mq) d.u32(IFLA_TUN_NUM_QUEUES, 3).u32(IFLA_TUN_NUM_DISABLED_QUEUES, 1);
    });
  });
  return w.end();
}
