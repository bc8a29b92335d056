/**
 * The rtnetlink codec on a dump of 4000 tun links, laid out as the kernel
 * sends them: 1.1 KB messages (IFLA_AF_SPEC and all) packed into 32 KiB
 * datagrams.
 */

import { toDevice } from "../lib/_device.ts";
import {
  decodeLinkIfAny,
  decodeMessages,
  DumpReader,
  IFLA_CARRIER,
  IFLA_IFNAME,
  IFLA_INFO_DATA,
  IFLA_INFO_KIND,
  IFLA_LINKINFO,
  IFLA_MTU,
  IFLA_OPERSTATE,
  IFLA_TUN_MULTI_QUEUE,
  IFLA_TUN_PERSIST,
  IFLA_TUN_PI,
  IFLA_TUN_TYPE,
  IFLA_TUN_VNET_HDR,
  IFLA_TXQLEN,
  NetlinkWriter,
  NLM_F_MULTI,
  NLMSG_DONE,
  RTM_NEWLINK,
} from "../lib/netlink/mod.ts";

const LINKS = 4000;
const DATAGRAM = 32 * 1024;
const AF_SPEC = 26;

function linkMessage(index: number): Uint8Array {
  return new NetlinkWriter(1200).begin(RTM_NEWLINK, NLM_F_MULTI, 1)
    .ifinfomsg({ type: 0xfffe, index, flags: 0x1090 })
    .string(IFLA_IFNAME, `b${index}`)
    .u32(IFLA_TXQLEN, 500).u8(IFLA_OPERSTATE, 2).u32(IFLA_MTU, 1500).u8(IFLA_CARRIER, 0)
    .attr(AF_SPEC, new Uint8Array(760)) // inet and inet6 settings, which the decoder walks over
    .nest(
      IFLA_LINKINFO,
      (li) =>
        li.string(IFLA_INFO_KIND, "tun").nest(
          IFLA_INFO_DATA,
          (d) =>
            d.u8(IFLA_TUN_TYPE, 1).u8(IFLA_TUN_PI, 0).u8(IFLA_TUN_VNET_HDR, 0).u8(
              IFLA_TUN_PERSIST,
              1,
            )
              .u8(IFLA_TUN_MULTI_QUEUE, 0),
        ),
    )
    .end().bytes().slice();
}

const datagrams: Uint8Array[] = [];
let current: number[] = [];
for (let i = 0; i < LINKS; i++) {
  const message = linkMessage(i + 2);
  if (current.length + message.byteLength > DATAGRAM) {
    datagrams.push(Uint8Array.from(current));
    current = [];
  }
  current.push(...message);
}
current.push(
  ...new NetlinkWriter().begin(NLMSG_DONE, NLM_F_MULTI, 1).raw(new Uint8Array(4)).end().bytes(),
);
datagrams.push(Uint8Array.from(current));

Deno.bench("frame a 4000-link dump (decodeMessages)", { group: "codec", baseline: true }, () => {
  for (const datagram of datagrams) decodeMessages(datagram);
});

Deno.bench("decode a 4000-link dump into TunTapDevices", { group: "codec" }, () => {
  const reader = new DumpReader(1, (m) => {
    const link = decodeLinkIfAny(m);
    return link && toDevice(link);
  });
  for (const datagram of datagrams) reader.feed(datagram);
  if (reader.items.length !== LINKS) throw new Error(`decoded ${reader.items.length} links`);
});
