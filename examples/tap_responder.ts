/**
 * The tap side: a program on the other end of a tap device (a VM's NIC, in
 * the articles) that owns an IPv4 address on the tap's network. It answers
 * ARP requests for that address with its MAC and ICMP echo requests to it,
 * so that `ping ADDRESS` from the host (say, through a bridge the tap is
 * on) gets replies.
 *
 * ```sh
 * deno run --allow-ffi examples/tap_responder.ts tap0 10.7.0.2 [02:00:00:00:07:02]
 * ```
 *
 * It stops on SIGINT/SIGTERM.
 *
 * @module
 */

// deno-lint-ignore-file no-console
import { openQueue } from "../mod.ts";
import { echoReply } from "./_packets.ts";

const [device, address, macText = "02:00:00:00:07:02"] = Deno.args;
const ip = address?.split(".").map(Number);
const mac = macText.split(":").map((h) => parseInt(h, 16));
if (device === undefined || ip?.length !== 4 || mac.length !== 6) {
  console.error("usage: tap_responder.ts DEVICE IPV4ADDRESS [MAC]");
  Deno.exit(2);
}
const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => stop.abort());
}

const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_IPV4 = 0x0800;
const same = (a: Uint8Array, at: number, b: number[]) => b.every((x, i) => a[at + i] === x);

/** Turns an Ethernet frame (in place) into the answer to it, if it asks this host something. */
function answer(frame: Uint8Array): boolean {
  const type = (frame[12]! << 8) | frame[13]!;
  if (type === ETHERTYPE_ARP && frame.length >= 42) {
    // An ARP request (opcode 1) for our address.
    if (frame[21] !== 1 || !same(frame, 38, ip!)) return false;
    frame.copyWithin(0, 6, 12); // to the asker
    frame.set(mac, 6);
    frame[21] = 2; // reply
    frame.copyWithin(32, 22, 32); // target := the asker (its MAC and IP)
    frame.set(mac, 22); // sender := us
    frame.set(ip!, 28);
    return true;
  }
  if (type === ETHERTYPE_IPV4 && frame.length >= 34 && same(frame, 30, ip!)) {
    if (!echoReply(frame.subarray(14))) return false;
    frame.copyWithin(0, 6, 12);
    frame.set(mac, 6);
    return true;
  }
  return false;
}

using queue = openQueue(device, { mode: "tap", signal: stop.signal });
console.log(`${address} (${macText}) answers on ${device}`);
while (
  await queue.readBatch((buffer, length) => {
    if (answer(buffer.subarray(0, length))) queue.writeBuffer(length);
  }) > 0
);
Deno.exit(0);
