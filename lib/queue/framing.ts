/**
 * What precedes a packet on a queue, made explicit: the 4-byte `tun_pi`
 * header of devices made with `pi` (flags, then the EtherType of the
 * packet), and the virtio-net header of `vnet_hdr` devices, whose length
 * the queue reports and whose bytes are the caller's.
 *
 * @module
 */

/**
 * Length of the `tun_pi` header.
 *
 * @example The payload after the header
 * ```ts
 * import { PI_LENGTH, packetInfo } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * const packet = new Uint8Array([...packetInfo(0x0800), 0x45, 0]);
 * assert.deepEqual([...packet.subarray(PI_LENGTH)], [0x45, 0]);
 * ```
 */
export const PI_LENGTH = 4;

/**
 * `TUN_PKT_STRIP` in `tun_pi.flags`: the packet was cut to fit the buffer.
 *
 * @example Usage
 * ```ts
 * import { PI_TRUNCATED, parsePacketInfo, packetInfo } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * const info = parsePacketInfo(packetInfo(0x86dd, PI_TRUNCATED));
 * assert.equal(info.flags & PI_TRUNCATED, PI_TRUNCATED);
 * ```
 */
export const PI_TRUNCATED = 0x0001;

/** The `tun_pi` header of a packet read from a `pi` device. */
export interface PacketInfo {
  /** `flags` (`PI_TRUNCATED`). */
  flags: number;
  /** The EtherType of what follows: 0x0800 IPv4, 0x86dd IPv6. */
  protocol: number;
}

/**
 * Reads the `tun_pi` header at the start of a packet.
 *
 * @example Usage
 * ```ts
 * import { parsePacketInfo } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parsePacketInfo(new Uint8Array([0, 0, 0x08, 0x00, 0x45])), {
 *   flags: 0,
 *   protocol: 0x0800,
 * });
 * ```
 *
 * @param packet The packet, header first.
 * @returns The header.
 * @throws {RangeError} When the packet is shorter than the header.
 */
export function parsePacketInfo(packet: Uint8Array): PacketInfo {
  if (packet.byteLength < PI_LENGTH) {
    throw new RangeError(`Cannot read a tun_pi header: ${packet.byteLength} bytes, need 4`);
  }
  // flags is in the machine's byte order; proto is big-endian (__be16).
  const view = new DataView(packet.buffer, packet.byteOffset, PI_LENGTH);
  return { flags: view.getUint16(0, true), protocol: view.getUint16(2, false) };
}

/**
 * Writes a `tun_pi` header for a packet to write to a `pi` device.
 *
 * @example Usage
 * ```ts
 * import { packetInfo } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([...packetInfo(0x86dd)], [0, 0, 0x86, 0xdd]);
 * ```
 *
 * @param protocol The EtherType of the packet (0x0800 IPv4, 0x86dd IPv6).
 * @param flags `flags` (0 when writing).
 * @returns The 4 bytes.
 */
export function packetInfo(protocol: number, flags = 0): Uint8Array {
  const header = new Uint8Array(PI_LENGTH);
  const view = new DataView(header.buffer);
  view.setUint16(0, flags, true);
  view.setUint16(2, protocol, false);
  return header;
}
