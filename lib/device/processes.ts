/**
 * Which processes hold queues of TUN/TAP devices open, from one pass over
 * `/proc`.
 *
 * @module
 */

import * as files from "../../ffi/_files.ts";
import { isIdle } from "./_device.ts";
import { decodeText } from "../netlink/_text.ts";
import type { Holder, TunTapDevice } from "./types.ts";

const TUN_NODE = "/dev/net/tun";
/** The `iff:\t` line of a tun descriptor's fdinfo, after a newline. */
const IFF_LINE = new TextEncoder().encode("\niff:\t");

/** Options of {@linkcode attachedProcesses}. */
export interface AttachedProcessesOptions {
  /** Where procfs is mounted; `/proc` by default. */
  proc?: string;
}

function readComm(proc: string, pid: string): string | undefined {
  const bytes = files.readSmallFile(`${proc}/${pid}/comm`, 64);
  if (typeof bytes === "number") return undefined;
  const end = bytes[bytes.byteLength - 1] === 0x0a ? bytes.byteLength - 1 : bytes.byteLength;
  return decodeText(bytes, 0, end);
}

/** Where `needle` starts in `bytes`, or -1. */
function indexOfBytes(bytes: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  for (
    let at = bytes.indexOf(first as number);
    at >= 0;
    at = bytes.indexOf(first as number, at + 1)
  ) {
    let k = 1;
    while (k < needle.byteLength && bytes[at + k] === needle[k]) k++;
    if (k === needle.byteLength) return at;
  }
  return -1;
}

/**
 * The device name in `/proc/PID/fdinfo/FD` of a tun descriptor (its exact
 * bytes, decoded as names are), or "".
 */
function attachedName(proc: string, pid: string, fd: string): string {
  const bytes = files.readSmallFile(`${proc}/${pid}/fdinfo/${fd}`);
  if (typeof bytes === "number") return "";
  const at = indexOfBytes(bytes, IFF_LINE);
  if (at < 0) return "";
  const start = at + IFF_LINE.byteLength;
  const end = bytes.indexOf(0x0a, start);
  return decodeText(bytes, start, end < 0 ? bytes.byteLength : end);
}

/**
 * Finds the processes that hold queues of the given devices open, in one
 * pass over `/proc` for all of them.
 *
 * A process is listed once per queue it holds, in `/proc` order (by pid, then
 * by descriptor). As with iproute2, descriptors are matched by device name
 * (the `iff` line of `/proc/PID/fdinfo/FD`), whatever the network namespace of
 * the device; processes whose descriptors cannot be read (other users' when
 * not root) are skipped silently, and so is the calling process. When every
 * device given as a {@linkcode TunTapDevice} is known to have no attached
 * queue, `/proc` is not read at all.
 *
 * @example Usage
 * ```ts ignore
 * import { attachedProcesses, listTunTaps } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * // (Needs CAP_NET_ADMIN: tests/doc_examples_test.ts runs it in a private network
 * // namespace with tun0, tun1, tap0, tap1, mq0, br0 and the namespaces blue and lab.)
 *
 * const holders = attachedProcesses(listTunTaps());
 * for (const [name, list] of holders) {
 *   console.log(name, list.map((h) => `${h.comm}(${h.pid})`).join(" "));
 * }
 * assert.deepEqual(holders.get("tap0"), []);
 * ```
 *
 * @example No devices, no scan
 * ```ts
 * import { attachedProcesses } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.equal(attachedProcesses([]).size, 0);
 * ```
 *
 * @param devices Devices or device names.
 * @param options Where procfs is mounted.
 * @returns Each device's holders, by device name.
 */
export function attachedProcesses(
  devices: Iterable<string | TunTapDevice>,
  options: AttachedProcessesOptions = {},
): Map<string, Holder[]> {
  const found = new Map<string, Holder[]>();
  let idle = true;
  for (const device of devices) {
    const name = typeof device === "string" ? device : device.name;
    found.set(name, []);
    if (typeof device === "string" || !isIdle(device)) idle = false;
  }
  if (idle) return found;
  const proc = options.proc ?? "/proc";
  const self = String(Deno.pid);
  const pids = files.readDir(proc);
  if (typeof pids === "number") return found;
  for (const pid of pids) {
    if (pid === self || pid.charCodeAt(0) < 0x30 || pid.charCodeAt(0) > 0x39) continue;
    // Processes that exited, or whose descriptors are not readable, are skipped.
    const fds = files.readDir(`${proc}/${pid}/fd`);
    if (typeof fds === "number") continue;
    let comm: string | undefined | null = null;
    for (const fd of fds) {
      if (files.readLink(`${proc}/${pid}/fd/${fd}`) !== TUN_NODE) continue;
      const holders = found.get(attachedName(proc, pid, fd));
      if (holders === undefined) continue;
      if (comm === null) comm = readComm(proc, pid);
      holders.push(comm === undefined ? { pid: Number(pid) } : { pid: Number(pid), comm });
    }
  }
  return found;
}
