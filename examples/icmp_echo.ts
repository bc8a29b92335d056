/**
 * Answers ICMP and ICMPv6 echo requests routed into a tun device, so that
 * `ping` to an address behind the device gets replies: each request is
 * turned into its reply in the queue's buffer and written back.
 *
 * ```sh
 * deno run --allow-ffi examples/icmp_echo.ts tun0
 * ```
 *
 * It stops on SIGINT/SIGTERM.
 *
 * @module
 */

// deno-lint-ignore-file no-console
import { openQueue } from "../mod.ts";
import { echoReply } from "./_packets.ts";

const [device] = Deno.args;
if (device === undefined) {
  console.error("usage: icmp_echo.ts DEVICE");
  Deno.exit(2);
}
const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => stop.abort());
}

using queue = openQueue(device, { mode: "tun", signal: stop.signal });
const offset = queue.pi ? 4 : 0;
console.log(`answering echo requests on ${device}`);
while (
  await queue.readBatch((buffer, length) => {
    if (echoReply(buffer.subarray(offset, length))) queue.writeBuffer(length);
  }) > 0
);
Deno.exit(0);
