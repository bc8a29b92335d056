import assert from "node:assert/strict";
import {
  datagramViews,
  decodeAck,
  decodeDone,
  decodeLink,
  decodeMessages,
  DumpReader,
  NetlinkDecodeError,
  NetlinkWriter,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLM_F_MULTI,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
  RTM_NEWLINK,
  scanTunLink,
  TunLinkScan,
} from "../lib/netlink/mod.ts";
import { deviceOfScan, toDevice } from "../lib/device/_device.ts";
import { tunLinkMessage } from "./_fixtures.ts";

/** xorshift32: reproducible inputs, so a failure names its seed and case. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function seedDatagrams(): Uint8Array[] {
  const dump = new Uint8Array([
    ...tunLinkMessage(1, 2, "tn0", { type: 1, owner: 0 }).bytes(),
    ...tunLinkMessage(1, 3, "tp0", { type: 2, group: 7, mq: true }).bytes(),
    ...new NetlinkWriter().begin(NLMSG_DONE, NLM_F_MULTI, 1).raw(new Uint8Array(4)).end().bytes(),
  ]);
  const error = new NetlinkWriter().begin(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 1)
    .raw(new Uint8Array(new Int32Array([-22]).buffer)).raw(dump.subarray(0, 16))
    .string(NLMSGERR_ATTR_MSG, "bad").u32(NLMSGERR_ATTR_OFFS, 20).end().bytes();
  const doneError = new NetlinkWriter().begin(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, 1)
    .raw(new Uint8Array(new Int32Array([-22]).buffer)).string(NLMSGERR_ATTR_MSG, "no").end()
    .bytes();
  return [dump, error, doneError];
}

/** Decodes everything a datagram holds, the way the library does. */
function decodeAll(datagram: Uint8Array): void {
  for (const message of decodeMessages(datagram)) {
    if (message.type === NLMSG_ERROR) decodeAck(message);
    else if (message.type === NLMSG_DONE) decodeDone(message);
    else decodeLink(message);
  }
  new DumpReader(1, (m) => (m.type === 16 ? decodeLink(m) : undefined)).feed(datagram);
}

function mutate(seed: Uint8Array, next: () => number): Uint8Array {
  const bytes = seed.slice();
  const edits = 1 + (next() % 4);
  let out: Uint8Array = bytes;
  for (let e = 0; e < edits; e++) {
    const at = next() % Math.max(out.byteLength, 1);
    switch (next() % 6) {
      case 0: // flip a byte
        out[at] = next() & 0xff;
        break;
      case 1: // a length field set to something extreme
        out[at] = [0, 1, 3, 4, 5, 0xff][next() % 6] as number;
        break;
      case 2: // truncate
        out = out.slice(0, at);
        break;
      case 3: // extend with garbage
        out = new Uint8Array([...out, ...Array.from({ length: next() % 9 }, () => next() & 0xff)]);
        break;
      case 4: // cut a slice out of the middle
        out = new Uint8Array([...out.subarray(0, at), ...out.subarray(at + 1 + (next() % 8))]);
        break;
      default: // duplicate a slice (misaligns what follows)
        out = new Uint8Array([
          ...out.subarray(0, at),
          ...out.subarray(at, at + 1 + (next() % 7)),
          ...out.subarray(at),
        ]);
    }
  }
  return out;
}

Deno.test("decoders throw only NetlinkDecodeError on 120,000 random and mutated inputs", () => {
  const seeds = seedDatagrams();
  for (const seed of seeds) decodeAll(seed); // the seeds themselves are valid
  const next = prng(0x7475_6e74);
  const total = 120_000;
  let malformed = 0;
  for (let i = 0; i < total; i++) {
    const input = i % 4 === 0
      ? Uint8Array.from({ length: next() % 96 }, () => next() & 0xff)
      : mutate(seeds[i % seeds.length] as Uint8Array, next);
    try {
      decodeAll(input);
    } catch (error) {
      if (!(error instanceof NetlinkDecodeError)) {
        throw new Error(
          `case ${i} threw ${String(error)} for input ${Array.from(input).join(",")}`,
        );
      }
      malformed++;
    }
  }
  // Both outcomes must really occur, or the inputs are not exercising the decoders.
  assert.ok(malformed > total / 10, `only ${malformed} inputs were malformed`);
  assert.ok(malformed < total, "no input decoded cleanly");
});

Deno.test("the dump's in-place scan makes the device decodeLink and toDevice make, on 60,000 inputs", () => {
  const seeds = seedDatagrams();
  const next = prng(0x5ca1_ab1e);
  const scan = new TunLinkScan();
  let compared = 0;
  for (let i = 0; i < 60_000; i++) {
    const input = mutate(seeds[0] as Uint8Array, next);
    let messages;
    try {
      messages = decodeMessages(input);
    } catch {
      continue;
    }
    for (const message of messages) {
      if (message.type !== RTM_NEWLINK) continue;
      let expected;
      try {
        expected = toDevice(decodeLink(message));
      } catch (error) {
        assert.ok(error instanceof NetlinkDecodeError);
        continue; // the tables check attributes the scan does not read
      }
      const views = datagramViews(message.payload);
      const found = scanTunLink(views, 0, message.payload.byteLength, scan)
        ? deviceOfScan(scan)
        : undefined;
      assert.deepEqual(found, expected, `case ${i}: ${Array.from(input).join(",")}`);
      compared++;
    }
  }
  assert.ok(compared > 10_000, `only ${compared} messages decoded cleanly`);
});
