import assert from "node:assert/strict";
import {
  decodeAck,
  decodeAttributes,
  decodeDone,
  decodeFields,
  decodeLink,
  decodeMessages,
  DumpReader,
  encodeLinkDump,
  encodeLinkGet,
  field,
  IFLA_IFNAME,
  IFLA_INFO_DATA,
  IFLA_INFO_KIND,
  IFLA_LINKINFO,
  IFLA_MTU,
  IFLA_TUN_TYPE,
  NetlinkDecodeError,
  NetlinkWriter,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLM_F_DUMP_INTR,
  NLM_F_MULTI,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
  RTEXT_FILTER_SKIP_STATS,
  RTM_GETLINK,
  RTM_NEWLINK,
  writeLinkDelete,
} from "../lib/netlink/mod.ts";
import { tunLinkMessage } from "./_fixtures.ts";

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function done(seq: number, errno = 0, flags = NLM_F_MULTI): Uint8Array {
  return new NetlinkWriter().begin(NLMSG_DONE, flags, seq).raw(
    new Uint8Array(new Int32Array([-errno]).buffer),
  ).end().bytes();
}

Deno.test("encodeLinkDump() builds the exact 44-byte request of ip tuntap show", () => {
  const bytes = encodeLinkDump({ seq: 0x11223344, kind: "tun", kindNul: false });
  assert.equal(
    hex(bytes),
    "2c000000" + "1200" + "0103" + "44332211" + "00000000" + // nlmsghdr
      "00".repeat(16) + // ifinfomsg, AF_UNSPEC
      "0c001200" + // IFLA_LINKINFO, len 12
      "07000100" + "74756e00", // IFLA_INFO_KIND "tun" (len 7, padded)
  );
});

Deno.test("encodeLinkDump() with a skip-stats mask and a NUL kind is 52 bytes", () => {
  const bytes = encodeLinkDump({ seq: 1, kind: "tun", extMask: RTEXT_FILTER_SKIP_STATS });
  assert.equal(bytes.byteLength, 52);
  assert.equal(hex(bytes.subarray(32)), "08001d0008000000" + "0c001200" + "08000100" + "74756e00");
});

Deno.test("encodeLinkGet() selects by name or by index", () => {
  const byName = decodeMessages(encodeLinkGet(7, { name: "tn0" }))[0];
  assert.ok(byName);
  assert.equal(byName.type, RTM_GETLINK);
  assert.equal(byName.seq, 7);
  const attrs = decodeAttributes(byName.payload.subarray(16));
  assert.deepEqual(attrs.map((a) => a.type), [IFLA_IFNAME]);
  assert.equal(new TextDecoder().decode(attrs[0]?.data), "tn0\0");
  const byIndex = decodeMessages(encodeLinkGet(8, { index: 9 }, 8))[0];
  assert.ok(byIndex);
  assert.equal(
    new DataView(byIndex.payload.buffer, byIndex.payload.byteOffset).getInt32(4, true),
    9,
  );
});

Deno.test("NetlinkWriter puts several messages in one buffer, each aligned", () => {
  const w = new NetlinkWriter(16);
  writeLinkDelete(w, 1, { name: "a" });
  writeLinkDelete(w, 2, { index: 5 });
  writeLinkDelete(w, 3, { group: 77 });
  const messages = decodeMessages(w.bytes());
  assert.deepEqual(messages.map((m) => [m.seq, m.payload.byteLength]), [[1, 24], [2, 16], [3, 24]]);
  assert.deepEqual(messages.map((m) => m.offset % 4), [0, 0, 0]);
});

Deno.test("decodeLink() round-trips a tun link with every IFLA_TUN_* attribute", () => {
  const bytes = tunLinkMessage(5, 12, "tq0", { type: 2, owner: 1000, group: 7, mq: true }).bytes();
  const [message] = decodeMessages(bytes);
  assert.ok(message);
  const link = decodeLink(message);
  assert.equal(link.name, "tq0");
  assert.equal(link.index, 12);
  assert.equal(link.type, 1);
  assert.equal(link.flags, 0x1090);
  assert.equal(link.mtu, 1500);
  assert.equal(link.txQueueLen, 500);
  assert.equal(link.operstate, 2);
  assert.equal(link.carrier, 0);
  assert.deepEqual(link.address, new Uint8Array([0x2a, 1, 2, 3, 4, 5]));
  assert.equal(link.kind, "tun");
  assert.deepEqual(link.tun, {
    type: 2,
    owner: 1000,
    group: 7,
    pi: false,
    vnetHdr: true,
    persist: true,
    multiQueue: true,
    numQueues: 3,
    numDisabledQueues: 1,
  });
});

Deno.test("decodeLink() reads nests with and without NLA_F_NESTED, and skips unknown kinds' data", () => {
  const flagged = new NetlinkWriter().begin(RTM_NEWLINK, 0, 1).ifinfomsg({ index: 3 })
    .nest(
      IFLA_LINKINFO,
      (li) =>
        li.string(IFLA_INFO_KIND, "tun").nest(IFLA_INFO_DATA, (d) => d.u8(IFLA_TUN_TYPE, 1), true),
      true,
    )
    .end().bytes();
  const link = decodeLink(decodeMessages(flagged)[0]!);
  assert.deepEqual(link.tun, { type: 1 });
  const bridge = new NetlinkWriter().begin(RTM_NEWLINK, 0, 1).ifinfomsg({ index: 4 })
    .nest(
      IFLA_LINKINFO,
      (li) => li.string(IFLA_INFO_KIND, "bridge").nest(IFLA_INFO_DATA, (d) => d.u32(1, 9)),
    )
    .end().bytes();
  const other = decodeLink(decodeMessages(bridge)[0]!);
  assert.equal(other.kind, "bridge");
  assert.equal(other.tun, undefined);
});

Deno.test("decodeAttributes() follows 4-byte alignment after odd lengths", () => {
  const w = new NetlinkWriter().begin(1, 0, 0).attr(1, new Uint8Array([9])).u32(2, 0xdeadbeef)
    .end();
  const payload = decodeMessages(w.bytes())[0]!.payload;
  const attrs = decodeAttributes(payload);
  assert.deepEqual(attrs.map((a) => [a.type, a.data.byteLength]), [[1, 1], [2, 4]]);
  const read = decodeFields<{ value?: number }>(
    {},
    { 2: field("u32", (t, v) => t.value = v) },
    payload,
    0,
    payload.byteLength,
  );
  assert.equal(read.value, 0xdeadbeef);
});

Deno.test("decodeAttributes() accepts a last attribute without its padding", () => {
  // len 5, payload 1 byte, no padding after it: the kernel tolerates this, so do we.
  const attrs = decodeAttributes(new Uint8Array([5, 0, 3, 0, 0x41]));
  assert.deepEqual(attrs.map((a) => a.data.byteLength), [1]);
});

Deno.test("decoders throw NetlinkDecodeError on truncated, misaligned and oversized data", () => {
  const cases: [string, () => unknown][] = [
    ["header cut short", () => decodeMessages(new Uint8Array(15))],
    [
      "nlmsg_len below 16",
      () => decodeMessages(new Uint8Array([8, 0, 0, 0, ...new Array(12).fill(0)])),
    ],
    [
      "nlmsg_len past the datagram",
      () => decodeMessages(new Uint8Array([32, 0, 0, 0, ...new Array(12).fill(0)])),
    ],
    [
      "trailing bytes after a message",
      () => decodeMessages(new Uint8Array([16, 0, 0, 0, ...new Array(12).fill(0), 1, 2])),
    ],
    ["attribute length below 4", () => decodeAttributes(new Uint8Array([3, 0, 1, 0]))],
    [
      "attribute past its container",
      () => decodeAttributes(new Uint8Array([12, 0, 1, 0, 0, 0, 0, 0])),
    ],
    ["1 to 3 trailing attribute bytes", () => decodeAttributes(new Uint8Array([4, 0, 1, 0, 7, 7]))],
    [
      "u32 attribute of 2 bytes",
      () =>
        decodeFields({}, { 4: field("u32", () => {}) }, new Uint8Array([6, 0, 4, 0, 0, 0]), 0, 6),
    ],
    [
      // 4 + 0xfffffff8 wraps align4 to -4: the last 4 bytes, a valid empty
      // attribute, would be read as the extended ack instead of refused.
      "echoed request length near 2^32",
      () =>
        decodeAck(
          decodeMessages(
            new Uint8Array([
              ...[40, 0, 0, 0, 2, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0], // NLMSG_ERROR, ACK_TLVS
              ...[0, 0, 0, 0], // errno 0
              ...[0xf8, 0xff, 0xff, 0xff, 16, 0, 5, 0, 1, 0, 0, 0, 0, 0, 0, 0], // echoed header
              ...[4, 0, 9, 0], // an empty attribute
            ]),
          )[0]!,
        ),
    ],
    [
      "ifinfomsg cut short",
      () =>
        decodeLink({ type: 16, flags: 0, seq: 0, pid: 0, payload: new Uint8Array(12), offset: 0 }),
    ],
    [
      "oversized nested attribute inside IFLA_LINKINFO",
      () => {
        const m = new NetlinkWriter().begin(RTM_NEWLINK, 0, 0).ifinfomsg()
          .attr(IFLA_LINKINFO, new Uint8Array([40, 0, 1, 0, 0x74, 0x75, 0x6e, 0])).end().bytes();
        return decodeLink(decodeMessages(m)[0]!);
      },
    ],
    [
      "IFLA_MTU of 1 byte",
      () => {
        const m = new NetlinkWriter().begin(RTM_NEWLINK, 0, 0).ifinfomsg().attr(
          IFLA_MTU,
          new Uint8Array(1),
        ).end().bytes();
        return decodeLink(decodeMessages(m)[0]!);
      },
    ],
    [
      "error ack shorter than nlmsgerr",
      () =>
        decodeAck({
          type: NLMSG_ERROR,
          flags: 0,
          seq: 0,
          pid: 0,
          payload: new Uint8Array(10),
          offset: 0,
        }),
    ],
    [
      "error ack whose echoed request does not fit",
      () => {
        const p = new Uint8Array(20);
        new DataView(p.buffer).setUint32(4, 200, true);
        return decodeAck({
          type: NLMSG_ERROR,
          flags: NLM_F_ACK_TLVS,
          seq: 0,
          pid: 0,
          payload: p,
          offset: 0,
        });
      },
    ],
  ];
  for (const [what, run] of cases) {
    assert.throws(run, NetlinkDecodeError, what);
  }
});

function errorMessage(
  seq: number,
  errno: number,
  flags: number,
  echoed: Uint8Array,
  tlvs: (w: NetlinkWriter) => void,
): Uint8Array {
  const w = new NetlinkWriter().begin(NLMSG_ERROR, flags, seq)
    .raw(new Uint8Array(new Int32Array([-errno]).buffer)).raw(echoed);
  tlvs(w);
  return w.end().bytes();
}

Deno.test("decodeAck() reads success, and errors with extended-ack text, capped or not", () => {
  const request = encodeLinkGet(9, { name: "x" });
  const success = errorMessage(9, 0, NLM_F_CAPPED, request.subarray(0, 16), () => {});
  assert.equal(success.byteLength, 36);
  assert.deepEqual(decodeAck(decodeMessages(success)[0]!), {
    errno: 0,
    requestType: RTM_GETLINK,
    requestSeq: 9,
  });

  const capped = errorMessage(
    9,
    22,
    NLM_F_CAPPED | NLM_F_ACK_TLVS,
    request.subarray(0, 16),
    (w) => w.string(NLMSGERR_ATTR_MSG, "mtu less than device minimum").u32(NLMSGERR_ATTR_OFFS, 32),
  );
  assert.deepEqual(decodeAck(decodeMessages(capped)[0]!), {
    errno: 22,
    requestType: RTM_GETLINK,
    requestSeq: 9,
    message: "mtu less than device minimum",
    offset: 32,
  });

  const uncapped = errorMessage(
    9,
    95,
    NLM_F_ACK_TLVS,
    request,
    (w) => w.string(NLMSGERR_ATTR_MSG, "tun/tap creation via rtnetlink is not supported."),
  );
  const ack = decodeAck(decodeMessages(uncapped)[0]!);
  assert.equal(ack.errno, 95);
  assert.equal(ack.message, "tun/tap creation via rtnetlink is not supported.");
});

Deno.test("decodeDone() reads a dump error carried by NLMSG_DONE with TLVs", () => {
  const w = new NetlinkWriter().begin(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, 3)
    .raw(new Uint8Array(new Int32Array([-22]).buffer)).string(
      NLMSGERR_ATTR_MSG,
      "Invalid header for link dump",
    ).end();
  assert.deepEqual(decodeDone(decodeMessages(w.bytes())[0]!), {
    errno: 22,
    message: "Invalid header for link dump",
  });
  assert.deepEqual(decodeDone(decodeMessages(done(3))[0]!), { errno: 0 });
});

Deno.test("DumpReader collects a dump across datagrams and ignores other sequence numbers", () => {
  const reader = new DumpReader(5, (m) => m.type === RTM_NEWLINK ? decodeLink(m).name : undefined);
  const first = new Uint8Array([
    ...tunLinkMessage(5, 2, "a", { type: 1 }).bytes(),
    ...tunLinkMessage(4, 3, "stale", { type: 1 }).bytes(),
  ]);
  assert.equal(reader.feed(first), false);
  assert.equal(
    reader.feed(new Uint8Array([...tunLinkMessage(5, 4, "b", { type: 2 }).bytes(), ...done(5)])),
    true,
  );
  assert.deepEqual(reader.items, ["a", "b"]);
  assert.equal(reader.interrupted, false);
  assert.equal(reader.error, undefined);
});

Deno.test("DumpReader reports NLM_F_DUMP_INTR and dump errors", () => {
  const interrupted = new DumpReader(1, () => 1);
  interrupted.feed(
    new Uint8Array([
      ...tunLinkMessage(1, 2, "a", { type: 1, flags: NLM_F_DUMP_INTR }).bytes(),
      ...done(1),
    ]),
  );
  assert.equal(interrupted.interrupted, true);
  const failed = new DumpReader(1, () => 1);
  assert.equal(failed.feed(done(1, 22)), true);
  assert.equal(failed.error?.errno, 22);
});
