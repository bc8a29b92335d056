/**
 * The articles' reader: opens a queue of a tun device and prints a line for
 * each packet the kernel routes into it.
 *
 * ```sh
 * deno run --allow-ffi examples/tun_reader.ts tun0 [--decode]
 * ```
 *
 * With `--decode`, each line also says what the packet is (IPv4/IPv6,
 * ICMP/UDP/TCP, addresses). It stops on SIGINT/SIGTERM.
 *
 * @module
 */

// deno-lint-ignore-file no-console
import { openQueue } from "../mod.ts";
import { describePacket } from "./_packets.ts";

const [device, ...flags] = Deno.args;
if (device === undefined) {
  console.error("usage: tun_reader.ts DEVICE [--decode]");
  Deno.exit(2);
}
const decode = flags.includes("--decode");
const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => stop.abort());
}

using queue = openQueue(device, { signal: stop.signal });
const encoder = new TextEncoder();
while (
  await queue.readBatch((buffer, length) => {
    const line = `get data from tun. data size = ${length}${
      decode ? ` ${describePacket(buffer.subarray(0, length), queue.pi)}` : ""
    }\n`;
    Deno.stdout.writeSync(encoder.encode(line));
  }) > 0
);
Deno.exit(0);
