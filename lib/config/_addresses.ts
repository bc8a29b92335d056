/**
 * Addresses of a config in one spelling, to compare them with the kernel's.
 *
 * @module
 */

import { formatInet, parseInet, parseInetPrefix } from "../address/_inet.ts";
import type { AddressConfig } from "./types.ts";

/**
 * An address in one spelling: `ADDR/LEN` or `ADDR/LEN peer PEER`, as the
 * kernel prints it.
 *
 * @param address The address.
 * @returns The spelling.
 */
export function addressKey(address: AddressConfig): string {
  const prefix = parseInetPrefix(address.address);
  const local = prefix === undefined
    ? address.address
    : `${formatInet(prefix.bytes)}/${prefix.prefixLength}`;
  if (address.peer === undefined) return local;
  const peer = parseInet(address.peer.split("/")[0] as string);
  return `${local} peer ${peer === undefined ? address.peer : formatInet(peer.bytes)}`;
}

/**
 * Whether an address (in {@linkcode addressKey}'s spelling) is an IPv6
 * link-local one: the kernel makes its own, so a config manages them only
 * when it lists one.
 *
 * @param key The address.
 * @returns Whether it is in fe80::/10.
 */
export function isLinkLocal(key: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(key);
}
