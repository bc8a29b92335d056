/**
 * IPv4, IPv6 and MAC addresses as text: strict parsing, and formatting the
 * way `inet_ntop` does (RFC 5952 for IPv6).
 *
 * @module
 */

/** An IP address in network byte order. */
export interface InetAddress {
  /** 4 or 6. */
  version: 4 | 6;
  /** 4 or 16 bytes. */
  bytes: Uint8Array;
}

/** An address with a prefix length, as in `10.1.0.1/24`. */
export interface InetPrefix extends InetAddress {
  /** The prefix length; the full length when the text had none. */
  prefixLength: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string): Uint8Array | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = match[i + 1] as string;
    if (part.length > 1 && part.startsWith("0")) return undefined; // no octal-looking parts
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

function parseGroups(text: string): number[] | undefined {
  if (text === "") return [];
  const groups: number[] = [];
  for (const part of text.split(":")) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
    groups.push(parseInt(part, 16));
  }
  return groups;
}

function parseIpv6(text: string): Uint8Array | undefined {
  let body = text;
  let tail: number[] = [];
  const lastColon = body.lastIndexOf(":");
  if (body.includes(".")) {
    const v4 = parseIpv4(body.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = [(v4[0] as number) << 8 | (v4[1] as number), (v4[2] as number) << 8 | (v4[3] as number)];
    body = body.slice(0, lastColon + 1);
    if (body.endsWith(":") && !body.endsWith("::")) body = body.slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] as string);
  const rest = halves.length === 2 ? parseGroups(halves[1] as string) : [];
  if (!head || !rest) return undefined;
  const given = head.length + rest.length + tail.length;
  let groups: number[];
  if (halves.length === 2) {
    if (given > 7) return undefined;
    groups = [...head, ...new Array(8 - given).fill(0), ...rest, ...tail];
  } else {
    groups = [...head, ...tail];
  }
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/**
 * Parses an IPv4 address (dotted quad) or an IPv6 address (RFC 4291 text,
 * with `::` and an optional embedded IPv4 tail).
 *
 * @param text The address.
 * @returns The address, or `undefined` if the text is not one.
 */
export function parseInet(text: string): InetAddress | undefined {
  if (text.includes(":")) {
    const bytes = parseIpv6(text);
    return bytes && { version: 6, bytes };
  }
  const bytes = parseIpv4(text);
  return bytes && { version: 4, bytes };
}

/**
 * Parses `ADDRESS[/PREFIXLEN]`.
 *
 * @param text The text.
 * @returns The prefix, or `undefined` if the text is not one.
 */
export function parseInetPrefix(text: string): InetPrefix | undefined {
  const slash = text.indexOf("/");
  const address = parseInet(slash < 0 ? text : text.slice(0, slash));
  if (!address) return undefined;
  const max = address.version === 4 ? 32 : 128;
  if (slash < 0) return { ...address, prefixLength: max };
  const length = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(length) || Number(length) > max) return undefined;
  return { ...address, prefixLength: Number(length) };
}

/**
 * Formats an address as `inet_ntop` does.
 *
 * @param bytes 4 or 16 bytes.
 * @returns The text.
 */
export function formatInet(bytes: Uint8Array): string {
  if (bytes.byteLength === 4) return Array.from(bytes).join(".");
  const groups = Array.from(
    { length: 8 },
    (_, i) => (bytes[2 * i] as number) << 8 | (bytes[2 * i + 1] as number),
  );
  // The longest run of two or more zero groups becomes "::" (the first one on a tie).
  let best = { at: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > best.length) best = { at: i, length: end - i };
    i = end;
  }
  if (best.length < 2) best = { at: -1, length: 0 };
  const embedsIpv4 = best.at === 0 &&
    (best.length === 6 || (best.length === 5 && groups[5] === 0xffff));
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (i === best.at) {
      out += i === 0 ? "::" : ":";
      i += best.length - 1;
      continue;
    }
    if (embedsIpv4 && i === 6) {
      out += Array.from(bytes.subarray(12)).join(".");
      break;
    }
    out += (groups[i] as number).toString(16) + (i < 7 ? ":" : "");
  }
  return out;
}

/**
 * Parses a MAC address `aa:bb:cc:dd:ee:ff` (also with `-` separators).
 *
 * @param text The address.
 * @returns The 6 bytes, or `undefined` if the text is not a MAC address.
 */
export function parseMac(text: string): Uint8Array | undefined {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}
