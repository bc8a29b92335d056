/**
 * How iproute2 reads values (its `lib/utils.c`), rule for rule: numbers as C
 * `strtol`/`strtoul` read them in base 0 (leading whitespace and a sign
 * allowed, `0x` hex, `0` octal), IPv4 addresses with 1 to 4 components each
 * read the same way (`1.2.3` is 1.2.3.0, `010.1.1.1` is 8.1.1.1), prefixes
 * whose length may be a number of any base or a dotted netmask, and
 * link-layer addresses as colon-separated hex octets. A value iproute2
 * accepts is accepted here with the same meaning, so a script keeps doing
 * what it did.
 *
 * @module
 */

import { formatInet, parseInet } from "../address/_inet.ts";

const SPACE = /^[ \t\n\v\f\r]*/;

/**
 * The longest prefix of `text` that C `strtoul(text, &end, base)` reads, as
 * its sign and magnitude, and what is left after it. `undefined` when no
 * digit was read (`end == text`).
 */
function strtoul(
  text: string,
  base: 0 | 10 | 16,
): { negative: boolean; value: bigint; rest: string } | undefined {
  let at = SPACE.exec(text)?.[0].length ?? 0;
  let negative = false;
  if (text[at] === "+" || text[at] === "-") {
    negative = text[at] === "-";
    at++;
  }
  let radix: number = base;
  const hexPrefix = /^0[xX][0-9a-fA-F]/.test(text.slice(at));
  if ((radix === 0 || radix === 16) && hexPrefix) {
    radix = 16;
    at += 2;
  } else if (radix === 0) {
    radix = text[at] === "0" ? 8 : 10;
  }
  const digits = radix === 16 ? /^[0-9a-fA-F]+/ : radix === 8 ? /^[0-7]+/ : /^[0-9]+/;
  const match = digits.exec(text.slice(at));
  if (match === null) return undefined;
  const prefix = radix === 16 ? "0x" : radix === 8 ? "0o" : "";
  return {
    negative,
    value: BigInt(`${prefix}${match[0]}`),
    rest: text.slice(at + match[0].length),
  };
}

const INT_MAX = 2n ** 31n - 1n;
const UINT_MAX = 2n ** 32n - 1n;
const ULONG_MAX = 2n ** 64n - 1n;

/**
 * iproute2's `get_integer(&value, text, 0)`: the whole text is a C `int`.
 *
 * @param text The text.
 * @returns The number, or `undefined` when iproute2 refuses it.
 */
export function getInteger(text: string): number | undefined {
  const read = strtoul(text, 0);
  if (read === undefined || read.rest !== "") return undefined;
  const value = read.negative ? -read.value : read.value;
  if (value > INT_MAX || value < -INT_MAX - 1n) return undefined;
  return Number(value);
}

/**
 * iproute2's `get_unsigned` / `get_u32` (base 0): the whole text is a C
 * `unsigned long` that fits 32 bits (so `-1`, which `strtoul` makes the
 * largest value, is refused).
 *
 * @param text The text.
 * @returns The number, or `undefined` when iproute2 refuses it.
 */
export function getUnsigned(text: string): number | undefined {
  const read = strtoul(text, 0);
  if (read === undefined || read.rest !== "" || read.value > ULONG_MAX) return undefined;
  const value = read.negative && read.value !== 0n ? ULONG_MAX + 1n - read.value : read.value;
  return value > UINT_MAX ? undefined : Number(value);
}

/**
 * iproute2's IPv4 reader (`get_addr_ipv4`, not `inet_aton`): 1 to 4
 * components separated by `.`, each read by `strtoul` in base 0 and at most
 * 255; missing components are zero.
 *
 * @param text The text.
 * @returns The 4 bytes, or `undefined`.
 */
export function getAddrIpv4(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(4);
  let rest = text;
  for (let i = 0; i < 4; i++) {
    const read = strtoul(rest, 0);
    if (read === undefined) return undefined;
    const value = read.negative && read.value !== 0n ? ULONG_MAX + 1n - read.value : read.value;
    if (value > 255n) return undefined;
    bytes[i] = Number(value);
    if (read.rest === "") return bytes;
    if (i === 3 || read.rest[0] !== ".") return undefined;
    rest = read.rest.slice(1);
  }
  return bytes;
}

/** An address family as iproute2 names it in messages. */
export type IpFamily = "inet" | "inet6";

/** An address or prefix as iproute2 reads it (its `inet_prefix`). */
export interface IpPrefix {
  /**
   * The family; `undefined` only for `default`, `all` or `any` read while no
   * family was known (iproute2 then sends the request with `AF_UNSPEC`).
   */
  family: IpFamily | undefined;
  /** The address's bytes (4 or 16), or none for `default`, `all`, `any`. */
  bytes: Uint8Array;
  /** The prefix length: given, or the full length. */
  length: number;
  /** Whether a length was written (`/LEN`). */
  lengthGiven: boolean;
  /** The address as text (canonical). */
  text: string;
}

const BITS: Readonly<Record<IpFamily, number>> = { inet: 32, inet6: 128 };

/**
 * iproute2's `get_addr_1`: an address of the family `family` (any family
 * when `undefined`): IPv6 when the text contains `:` (strict, as
 * `inet_pton`), else IPv4 as {@linkcode getAddrIpv4} reads it. `default`,
 * `all` and `any` are an address of no bytes.
 */
function getAddr1(
  text: string,
  family: IpFamily | undefined,
): { family: IpFamily | undefined; bytes: Uint8Array; special: boolean } | undefined {
  if (text === "default" || text === "all" || text === "any") {
    return { family, bytes: new Uint8Array(0), special: true };
  }
  if (text.includes(":")) {
    if (family !== undefined && family !== "inet6") return undefined;
    const parsed = parseInet(text);
    if (parsed === undefined || parsed.version !== 6) return undefined;
    return { family: "inet6", bytes: parsed.bytes, special: false };
  }
  if (family !== undefined && family !== "inet") return undefined;
  const bytes = getAddrIpv4(text);
  return bytes && { family: "inet", bytes, special: false };
}

/** The length of a contiguous IPv4 netmask, or `undefined`. */
function maskLength(mask: Uint8Array): number | undefined {
  const value = new DataView(mask.buffer, mask.byteOffset, 4).getUint32(0);
  const inverted = ~value >>> 0;
  if ((inverted & (inverted + 1)) !== 0) return undefined;
  return 32 - Math.log2(inverted + 1);
}

/**
 * iproute2's `get_prefix`: `ADDRESS[/LEN]`, where LEN is a number of any
 * base (`/0x10`, `/024` is 20) or a dotted netmask.
 *
 * @param text The text.
 * @param family The family required, if one is already known.
 * @returns The prefix, or `undefined` when iproute2 refuses it.
 */
export function getPrefix(text: string, family: IpFamily | undefined): IpPrefix | undefined {
  const slash = text.indexOf("/");
  const address = getAddr1(slash < 0 ? text : text.slice(0, slash), family);
  if (address === undefined) return undefined;
  const bits = address.family === undefined ? 0 : BITS[address.family];
  let length = address.special ? 0 : bits;
  if (slash >= 0) {
    if (address.special) return undefined;
    const lengthText = text.slice(slash + 1);
    let value = getUnsigned(lengthText);
    if (value === undefined) {
      const mask = getAddr1(lengthText, undefined);
      if (mask === undefined || mask.family !== "inet" || mask.special) return undefined;
      value = maskLength(mask.bytes);
    }
    if (value === undefined || value > bits) return undefined;
    length = value;
  }
  return {
    family: address.family,
    bytes: address.bytes,
    length,
    lengthGiven: slash >= 0,
    text: address.special ? text : formatInet(address.bytes),
  };
}

/**
 * iproute2's `get_addr`: an address (no `/LEN`).
 *
 * @param text The text.
 * @param family The family required, if one is already known.
 * @returns The address, or `undefined` when iproute2 refuses it.
 */
export function getAddress(text: string, family: IpFamily | undefined): IpPrefix | undefined {
  if (text.includes("/")) return undefined;
  return getPrefix(text, family);
}

/**
 * iproute2's `ll_addr_a2n`: a link-layer address, as colon-separated hex
 * octets (`sscanf("%x")` each: `0x` and trailing junk allowed, at most 255)
 * or, when it contains a `.`, an IPv4 address (4 bytes).
 *
 * @param text The text.
 * @returns The bytes, or the part iproute2 names as invalid.
 */
export function llAddress(text: string): Uint8Array | { invalid: string } {
  if (text.includes(".")) {
    const bytes = getAddrIpv4(text);
    return bytes ?? { invalid: text };
  }
  const bytes: number[] = [];
  for (const part of text.split(":").slice(0, 32)) {
    const read = strtoul(part, 16);
    if (read === undefined || read.negative && read.value !== 0n || read.value > 255n) {
      return { invalid: part };
    }
    bytes.push(Number(read.value));
  }
  return Uint8Array.from(bytes);
}
