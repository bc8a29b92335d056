/**
 * Create, delete, list and inspect persistent Linux TUN/TAP devices from
 * Deno, through `ioctl` on `/dev/net/tun` and rtnetlink, with no native
 * build step (`Deno.dlopen` binds libc; run with `--allow-ffi`).
 *
 * ```ts ignore
 * import { createTunTap, deleteTunTap, listTunTaps } from "@netdev/tuntap";
 *
 * const tun = createTunTap({ name: "tun%d", mode: "tun", owner: 1000 });
 * console.log(listTunTaps().map((d) => d.name)); // [ "tun0" ]
 * deleteTunTap(tun.name);
 * ```
 *
 * @module
 */

export * from "./lib/errors.ts";
export * from "./lib/processes.ts";
export * from "./lib/tuntap.ts";
export * from "./lib/types.ts";
