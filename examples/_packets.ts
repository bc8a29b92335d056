/**
 * Small helpers the examples share: reading and answering IPv4/IPv6 and
 * ICMP packets, with the checksums they need.
 *
 * @module
 */

/** The Internet checksum (RFC 1071) of `bytes`, plus `initial`. */
export function checksum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (bytes.length % 2 === 1) sum += bytes[bytes.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function ipv4(bytes: Uint8Array, at: number): string {
  return Array.from(bytes.subarray(at, at + 4)).join(".");
}

function ipv6(bytes: Uint8Array, at: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) {
    groups.push(((bytes[at + i]! << 8) | bytes[at + i + 1]!).toString(16));
  }
  return groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
}

const PROTOCOLS: Record<number, string> = { 1: "ICMP", 6: "TCP", 17: "UDP", 58: "ICMPv6" };

/** A one-line summary of an IP packet (after a 4-byte `tun_pi` header when `pi`). */
export function describePacket(packet: Uint8Array, pi: boolean): string {
  const ip = pi ? packet.subarray(4) : packet;
  const version = ip[0]! >> 4;
  if (version === 4 && ip.length >= 20) {
    const protocol = PROTOCOLS[ip[9]!] ?? `proto ${ip[9]}`;
    return `IPv4 ${protocol} ${ipv4(ip, 12)} > ${ipv4(ip, 16)}`;
  }
  if (version === 6 && ip.length >= 40) {
    const protocol = PROTOCOLS[ip[6]!] ?? `next header ${ip[6]}`;
    return `IPv6 ${protocol} ${ipv6(ip, 8)} > ${ipv6(ip, 24)}`;
  }
  return `not IP (version ${version})`;
}

/**
 * Turns an ICMP or ICMPv6 echo request (an IP packet, in place) into its
 * reply: addresses swapped, type changed, checksum fixed.
 *
 * @returns Whether it was an echo request.
 */
export function echoReply(ip: Uint8Array): boolean {
  const version = ip[0]! >> 4;
  if (version === 4) {
    const header = (ip[0]! & 0x0f) * 4;
    if (ip[9] !== 1 || ip.length < header + 8 || ip[header] !== 8) return false;
    const source = ip.slice(12, 16);
    ip.copyWithin(12, 16, 20);
    ip.set(source, 16);
    ip[header] = 0; // echo reply
    ip[header + 2] = 0;
    ip[header + 3] = 0;
    const icmp = checksum(ip.subarray(header));
    ip[header + 2] = icmp >> 8;
    ip[header + 3] = icmp & 0xff;
    ip[10] = 0;
    ip[11] = 0;
    const sum = checksum(ip.subarray(0, header));
    ip[10] = sum >> 8;
    ip[11] = sum & 0xff;
    return true;
  }
  if (version === 6) {
    if (ip[6] !== 58 || ip.length < 48 || ip[40] !== 128) return false;
    const source = ip.slice(8, 24);
    ip.copyWithin(8, 24, 40);
    ip.set(source, 24);
    ip[40] = 129; // echo reply
    ip[42] = 0;
    ip[43] = 0;
    // The ICMPv6 checksum covers a pseudo-header: addresses, length, next header.
    const length = ip.length - 40;
    const pseudo = new Uint8Array(40);
    pseudo.set(ip.subarray(8, 40));
    new DataView(pseudo.buffer).setUint32(32, length);
    pseudo[39] = 58;
    const partial = ~checksum(pseudo) & 0xffff;
    const sum = checksum(ip.subarray(40), partial);
    ip[42] = sum >> 8;
    ip[43] = sum & 0xff;
    return true;
  }
  return false;
}
