/**
 * The rtnetlink codec on a dump of 4000 tun links, laid out as the kernel
 * sends them: 1.1 KB messages (IFLA_AF_SPEC and all) packed into 32 KiB
 * datagrams.
 */

import { deviceOfScan, toDevice } from "../lib/device/_device.ts";
import {
  decodeLinkIfAny,
  decodeMessages,
  DumpReader,
  NetlinkWriter,
  NLM_F_MULTI,
  NLMSG_DONE,
  RTM_NEWLINK,
  scanTunLink,
  TunLinkScan,
} from "../lib/netlink/mod.ts";
import { tunLinkMessage } from "../tests/_fixtures.ts";

const LINKS = 4000;
const DATAGRAM = 32 * 1024;
const datagrams: Uint8Array[] = [];
let current: number[] = [];
for (let i = 0; i < LINKS; i++) {
  const message = tunLinkMessage(1, i + 2, `b${i + 2}`, { type: 1, afSpec: 760 }).bytes();
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

Deno.bench(
  "scan a 4000-link dump into TunTapDevices (the listing's path)",
  { group: "codec" },
  () => {
    const scan = new TunLinkScan();
    const reader = new DumpReader(
      1,
      () => undefined,
      (d, start, end, type) =>
        type === RTM_NEWLINK && scanTunLink(d, start, end, scan) ? deviceOfScan(scan) : undefined,
    );
    for (const datagram of datagrams) reader.feed(datagram);
    if (reader.items.length !== LINKS) throw new Error(`decoded ${reader.items.length} links`);
  },
);
