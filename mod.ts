/**
 * Create, delete, list, inspect and configure persistent Linux TUN/TAP
 * devices from Deno, through `ioctl` on `/dev/net/tun` and rtnetlink, with
 * no native build step (`Deno.dlopen` binds libc; run with `--allow-ffi`).
 *
 * - Devices: {@linkcode createTunTap}, {@linkcode createTunTaps},
 *   {@linkcode deleteTunTap}, {@linkcode deleteTunTaps}, {@linkcode listTunTaps},
 *   {@linkcode getTunTap}, {@linkcode inspectTunTaps},
 *   {@linkcode attachedProcesses}.
 * - Links and addresses, as `ip link set` and `ip addr` do them:
 *   {@linkcode setLink}, {@linkcode addAddress}, {@linkcode deleteAddress},
 *   {@linkcode listAddresses}, {@linkcode flushAddresses}.
 * - Packets: {@linkcode openQueue} and {@linkcode openQueues} give a
 *   {@linkcode TunTapQueue} (batch reads with no allocation per packet, or
 *   copies through `for await` and streams).
 * - Provisioning from YAML or JSON: {@linkcode parseConfig},
 *   {@linkcode planConfig}, {@linkcode applyConfig}, {@linkcode exportConfig},
 *   {@linkcode formatConfig}.
 * - Events: {@linkcode monitorTunTaps}.
 *
 * Every operation takes a `netns` option; failures are
 * {@linkcode TunTapError}s with the errno, the call and a hint.
 *
 * ```ts ignore
 * import { createTunTap, deleteTunTap, listTunTaps } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * const tun = createTunTap({ name: "tun%d", mode: "tun", owner: 1000 });
 * console.log(tun.name); // tun2: the first free number
 * assert.ok(listTunTaps().some((d) => d.name === tun.name && d.owner === 1000));
 * deleteTunTap(tun.name);
 * ```
 *
 * @module
 */

export * from "./lib/address/address.ts";
export * from "./lib/config/apply.ts";
export * from "./lib/config/format.ts";
export {
  ConfigError,
  type ConfigProblem,
  formatProblem,
  parseConfig,
  type ParseConfigOptions,
} from "./lib/config/parse.ts";
export * from "./lib/config/plan.ts";
export * from "./lib/config/types.ts";
export * from "./lib/device/create.ts";
export * from "./lib/device/delete.ts";
export * from "./lib/device/inspect.ts";
export * from "./lib/device/list.ts";
export * from "./lib/device/processes.ts";
export * from "./lib/device/types.ts";
export * from "./lib/errors.ts";
export * from "./lib/link/set.ts";
export * from "./lib/monitor/monitor.ts";
export * from "./lib/netns/netns.ts";
export * from "./lib/queue/framing.ts";
export * from "./lib/queue/queue.ts";
