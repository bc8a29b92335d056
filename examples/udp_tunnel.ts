/**
 * The articles' two-node tunnel: packets the kernel routes into a tun
 * device go to the peer in UDP datagrams, and datagrams from the peer are
 * written into the tun. Run one on each node, each naming the other as its
 * peer; route the other side's networks through the tun.
 *
 * ```sh
 * deno run --allow-ffi --allow-net --unstable-net examples/udp_tunnel.ts \
 *   --dev tun0 --listen 192.168.50.1:5555 --peer 192.168.50.2:5555
 * ```
 *
 * It stops on SIGINT/SIGTERM.
 *
 * @module
 */

// deno-lint-ignore-file no-console
import { parseArgs } from "node:util";
import { openQueue } from "../mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { dev: { type: "string" }, listen: { type: "string" }, peer: { type: "string" } },
});
function endpoint(text: string | undefined): { hostname: string; port: number } {
  const match = text === undefined ? null : /^(.*):(\d+)$/.exec(text);
  if (match === null) {
    console.error("usage: udp_tunnel.ts --dev DEVICE --listen ADDR:PORT --peer ADDR:PORT");
    Deno.exit(2);
  }
  return { hostname: (match[1] as string).replace(/^\[|\]$/g, ""), port: Number(match[2]) };
}
const listen = endpoint(values.listen);
const peer = endpoint(values.peer);
if (values.dev === undefined) endpoint(undefined);

const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => stop.abort());
}

const socket = Deno.listenDatagram({ transport: "udp", ...listen });
const queue = openQueue(values.dev as string, { mode: "tun", signal: stop.signal });
stop.signal.addEventListener("abort", () => socket.close());
console.log(`tunnel ${values.dev}: ${values.listen} <-> ${values.peer}`);

// tun -> peer: each packet in one datagram (sent in order, one at a time).
const outbound = (async () => {
  const pending: Uint8Array[] = [];
  while (await queue.readBatch((buffer, length) => pending.push(buffer.slice(0, length))) > 0) {
    for (const packet of pending.splice(0)) {
      await socket.send(packet, { transport: "udp", ...peer }).catch(() => {});
    }
  }
})();

// peer -> tun: each datagram is one packet.
const inbound = (async () => {
  try {
    for await (const [datagram] of socket) {
      if (!queue.closed) queue.write(datagram);
    }
  } catch {
    // the socket was closed on the way out
  }
})();

await Promise.all([outbound, inbound]);
Deno.exit(0);
