/**
 * The library's side of the packet I/O benchmark (see `bench/packets.ts`):
 *
 *   packets_deno.ts read  DEVICE SECONDS            readBatch (the fast path); prints packets
 *   packets_deno.ts cpu   DEVICE SECONDS            as read; prints packets and the CPU seconds the
 *                                                   process used meanwhile (all its threads)
 *   packets_deno.ts copy  DEVICE SECONDS            for await (the copying face); prints packets
 *   packets_deno.ts write DEVICE SIZE SECONDS       write() of IPv4/UDP packets; prints packets
 *   packets_deno.ts echo  DEVICE SECONDS            readBatch + writeBuffer; prints packets
 *   packets_deno.ts abort DEVICE TRIALS             how long close() takes to end a pending
 *                                                   read, and to close the descriptor (the poll
 *                                                   thread has returned): median and p99 in ms
 *   packets_deno.ts iterate DEVICE WAIT_MS N        5 rounds (as the C drain): waits, then reads
 *                                                   N packets with for await; prints packets and
 *                                                   seconds of the 4 measured rounds
 *   packets_deno.ts stream DEVICE WAIT_MS N         as iterate, with readable()'s reader
 *   packets_deno.ts drain DEVICE WAIT_MS [copy]     as iterate, with drain() (with copy: readNow(),
 *                                                   a copy each) of at most 80,000 a round
 *
 * @module
 */

// deno-lint-ignore-file no-console
import process from "node:process";
import { openQueue } from "../../mod.ts";

const [mode, device, a, b] = Deno.args as [string, string, string, string?];
if (mode === "abort") {
  const ended: number[] = [];
  const released: number[] = [];
  for (let i = 0; i < Number(a); i++) {
    const queue = openQueue(device);
    const pending = queue.readBatch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 2));
    const start = performance.now();
    queue.close();
    await pending;
    ended.push(performance.now() - start);
    await queue.whenClosed;
    released.push(performance.now() - start);
  }
  const at = (times: number[], q: number) =>
    times.sort((x, y) => x - y)[Math.min(times.length - 1, Math.floor(q * times.length))]
      ?.toFixed(3);
  console.log(
    `ready\n${at(ended, 0.5)} ${at(ended, 0.99)} ${at(released, 0.5)} ${at(released, 0.99)}`,
  );
  Deno.exit(0);
}

const queue = openQueue(device);
const seconds = Number(mode === "write" ? b : a);
const end = performance.now() + seconds * 1000;
let packets = 0;
/** drain and iterate: measured rounds, and the most packets a round reads (as the C side). */
const ROUNDS = 4;
const ROUND = 80_000;
console.log("ready");

/**
 * As the C side: 5 rounds of a wait (the queue fills) and a read of what is
 * queued (at most `max`); the first round warms up (a long-running program
 * is warm), the other 4 are measured. Prints packets and seconds.
 */
async function rounds(round: (max: number) => number | Promise<number>, max: number) {
  let seconds = 0;
  for (let i = 0; i <= ROUNDS; i++) {
    await new Promise((resolve) => setTimeout(resolve, Number(a)));
    const start = performance.now();
    const n = await round(max);
    if (i > 0) {
      packets += n;
      seconds += (performance.now() - start) / 1000;
    }
  }
  queue.close();
  console.log(`${packets} ${seconds.toFixed(6)}`);
  Deno.exit(0);
}

/**
 * One handler for every drain, as a long-running program has: a new closure
 * per call makes V8 re-optimize `drain` for the first few calls.
 */
const ignore = () => {};

if (mode === "iterate" || mode === "stream") {
  const reader = mode === "stream" ? queue.readable().getReader() : undefined;
  await rounds(async (max) => {
    let n = 0;
    if (reader) { while (!(await reader.read()).done && ++n < max); }
    else for await (const _packet of queue) if (++n === max) break;
    return n;
  }, Number(b));
} else if (mode === "drain") {
  // With copy: the copying face, without waits.
  await rounds(
    b === "copy"
      ? (max) => {
        let n = 0;
        while (n < max && queue.readNow() !== undefined) n++;
        return n;
      }
      : (max) => queue.drain(ignore, max),
    ROUND,
  );
} else if (mode === "cpu") {
  const count = () => packets++;
  const before = process.cpuUsage(); // without Deno's start-up
  setTimeout(() => queue.close(), seconds * 1000);
  while (await queue.readBatch(count) > 0);
  const { user, system } = process.cpuUsage(before);
  console.log(`${packets} ${((user + system) / 1e6).toFixed(6)}`);
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
