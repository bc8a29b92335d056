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

export * from "./lib/address.ts";
export * from "./lib/create.ts";
export * from "./lib/delete.ts";
export * from "./lib/errors.ts";
export * from "./lib/info.ts";
export * from "./lib/link.ts";
export * from "./lib/list.ts";
export * from "./lib/processes.ts";
export * from "./lib/types.ts";
