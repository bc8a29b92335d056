/**
 * The library's side of the packet I/O benchmark (see `bench/packets.ts`):
 *
 *   packets_deno.ts read  DEVICE SECONDS            readBatch (the fast path); prints packets
 *   packets_deno.ts copy  DEVICE SECONDS            for await (the copying face); prints packets
 *   packets_deno.ts write DEVICE SIZE SECONDS       write() of IPv4/UDP packets; prints packets
 *   packets_deno.ts echo  DEVICE SECONDS            readBatch + writeBuffer; prints packets
 *   packets_deno.ts abort DEVICE TRIALS             how long close() takes to end a pending
 *                                                   read: prints the median and p99 in ms
 *   packets_deno.ts iterate DEVICE WAIT_MS N        waits (the queue fills), then reads N packets
 *                                                   with for await; prints packets and seconds
 *   packets_deno.ts drain DEVICE WAIT_MS [copy]     waits (the queue fills), then drain() until
 *                                                   empty (with copy: readNow(), a copy each);
 *                                                   prints packets and seconds
 *
 * @module
 */

// deno-lint-ignore-file no-console
import { openQueue } from "../../mod.ts";

const [mode, device, a, b] = Deno.args as [string, string, string, string?];
if (mode === "abort") {
  const times: number[] = [];
  for (let i = 0; i < Number(a); i++) {
    const queue = openQueue(device);
    const pending = queue.readBatch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 2));
    const start = performance.now();
    queue.close();
    await pending;
    times.push(performance.now() - start);
    await queue.whenClosed;
  }
  times.sort((x, y) => x - y);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  console.log(`ready\n${at(0.5)?.toFixed(3)} ${at(0.99)?.toFixed(3)}`);
  Deno.exit(0);
}

const queue = openQueue(device);
const seconds = Number(mode === "write" ? b : a);
const end = performance.now() + seconds * 1000;
let packets = 0;
console.log("ready");

if (mode === "iterate") {
  const wanted = Number(b);
  await new Promise((resolve) => setTimeout(resolve, Number(a)));
  const start = performance.now();
  for await (const _packet of queue) if (++packets === wanted) break;
  const seconds = (performance.now() - start) / 1000;
  queue.close();
  console.log(`${packets} ${seconds.toFixed(6)}`);
  Deno.exit(0);
} else if (mode === "drain") {
  const copy = b === "copy";
  await new Promise((resolve) => setTimeout(resolve, Number(a)));
  const start = performance.now();
  if (copy) { while (queue.readNow() !== undefined) packets++; // the copying face, without waits
   } else packets = queue.drain(() => {});
  const seconds = (performance.now() - start) / 1000;
  queue.close();
  console.log(`${packets} ${seconds.toFixed(6)}`);
  Deno.exit(0);
} else if (mode === "read" || mode === "echo") {
  const echo = mode === "echo";
  setTimeout(() => queue.close(), seconds * 1000);
  while (
    await queue.readBatch((_buffer, length) => {
      packets++;
      if (echo) queue.writeBuffer(length);
    }) > 0
  );
} else if (mode === "copy") {
  setTimeout(() => queue.close(), seconds * 1000);
  for await (const _packet of queue) packets++;
} else {
  const size = Number(a);
  const packet = new Uint8Array(size);
  const view = new DataView(packet.buffer);
  packet.set([0x45, 0, size >> 8, size & 0xff, 0, 0, 0, 0, 64, 17, 0, 0, 10, 9, 0, 2, 10, 9, 0, 1]);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += view.getUint16(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  view.setUint16(10, ~sum & 0xffff);
  view.setUint16(20, 12345);
  view.setUint16(22, 9);
  view.setUint16(24, size - 20);
  while (performance.now() < end) {
    for (let i = 0; i < 256; i++) if (queue.write(packet)) packets++;
  }
  queue.close();
}
console.log(packets);
