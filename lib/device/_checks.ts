/**
 * Checking what a caller gives an operation, before any system call, so that
 * a bad value is refused with a reason instead of an opaque errno or a
 * silent change: interface names and modes (owners and groups: `_ids.ts`).
 *
 * Names follow the kernel's rules (`dev_valid_name` and the `%d` template
 * rules of `dev_alloc_name`). A name is a byte string, carried in a
 * JavaScript string as `decodeText` decodes it: UTF-8, with each byte that
 * is not part of valid UTF-8 as the lone surrogate U+DC80–U+DCFF (Python's
 * `surrogateescape`). A name holding a NUL, or a string that does not stand
 * for exactly one byte string, is refused: it could only reach the kernel
 * changed.
 *
 * @module
 */

import { EINVAL } from "../_errno.ts";
export { decodeText, encodeText } from "../netlink/_text.ts";
import { encodeText, textProblem } from "../netlink/_text.ts";
import { SyscallError } from "../transport/_syscall.ts";
import type { TunTapMode } from "./types.ts";

/** Longest interface name in bytes (`IFNAMSIZ` - 1). */
const MAX_NAME_BYTES = 15;
/** A name with nothing to object to (printable ASCII, 1-15 bytes, none of "/", ":", "%"). */
const PLAIN_NAME = /^[!-$&-.0-9;-~]{1,15}$/;

/** Bytes the kernel's `isspace()` accepts: \t \n \v \f \r, space and 0xa0. */
function isKernelSpace(byte: number): boolean {
  return (byte >= 0x09 && byte <= 0x0d) || byte === 0x20 || byte === 0xa0;
}

/**
 * Why `name` is not a name at all (not a string, a NUL byte, a string that
 * stands for no exact byte string), or `undefined`. Such a name is a caller's
 * mistake: the operations throw a `TypeError` for it.
 *
 * @param name The value given as a name.
 * @returns The reason, as a phrase.
 */
export function nameTypeProblem(name: unknown): string | undefined {
  if (typeof name !== "string") return `a name is a string, not ${typeof name}`;
  if (name.includes("\0")) return "a name cannot contain a NUL byte";
  const text = textProblem(name);
  return text === undefined ? undefined : `the name cannot be encoded exactly: ${text}`;
}

/**
 * Why the kernel would refuse `name`, or `undefined` if it would accept it.
 *
 * @param name The interface name (a string without type problems).
 * @param template Whether a single `%d` (filled in by the kernel) is allowed.
 * @returns The reason, as a phrase.
 */
export function nameProblem(name: string, template: boolean): string | undefined {
  // Most names are printable ASCII without "/", ":", "%" or a space: fine.
  if (PLAIN_NAME.test(name) && name !== "." && name !== "..") return undefined;
  const bytes = encodeText(name);
  if (bytes.byteLength === 0) return "the name is empty";
  if (bytes.byteLength > MAX_NAME_BYTES) {
    return `the name is ${bytes.byteLength} bytes long, the limit is ${MAX_NAME_BYTES}`;
  }
  if (name === "." || name === "..") return `"${name}" is reserved`;
  for (const byte of bytes) {
    if (byte === 0) return "a name cannot contain a NUL byte";
    if (byte === 0x2f) return 'a name cannot contain "/"';
    if (byte === 0x3a) return 'a name cannot contain ":"';
    if (isKernelSpace(byte)) {
      return byte === 0xa0
        ? "the name contains byte 0xa0, which the kernel counts as whitespace"
        : "a name cannot contain whitespace";
    }
  }
  const percent = name.indexOf("%");
  if (percent >= 0) {
    if (!template) return 'a name cannot contain "%"';
    if (name[percent + 1] !== "d" || name.indexOf("%", percent + 1) >= 0) {
      return 'a name template has exactly one "%" and it is followed by "d"';
    }
  }
  return undefined;
}

/**
 * Checks that a value given as a name is a string that stands for exactly
 * one byte string without NUL.
 *
 * @param name The value.
 * @param action What is being done, as "Cannot do X".
 * @throws {TypeError} When it is not.
 */
export function checkNameType(name: unknown, action: string): asserts name is string {
  const problem = nameTypeProblem(name);
  if (problem !== undefined) throw new TypeError(`${action}: ${problem}`);
}

/**
 * Checks that the kernel would accept a name.
 *
 * @param name The name (a string without type problems).
 * @param template Whether a single `%d` is allowed.
 * @throws {SyscallError} EINVAL, explained, when it would not: the kernel
 *   answers `TUNSETIFF` so.
 */
export function checkName(name: string, template: boolean): void {
  const problem = nameProblem(name, template);
  if (problem !== undefined) {
    throw new SyscallError(EINVAL, "ioctl(TUNSETIFF)", { explanation: problem });
  }
}

/**
 * The bytes of a name, for the kernel.
 *
 * @param name The name.
 * @returns Its bytes.
 */
export function nameBytes(name: string): Uint8Array<ArrayBuffer> {
  return encodeText(name);
}

/**
 * Checks a mode given by a caller.
 *
 * @param mode The value.
 * @param action What is being done, as "Cannot do X".
 * @returns The mode.
 * @throws {TypeError} When it is not "tun" or "tap".
 */
export function checkMode(mode: unknown, action: string): TunTapMode {
  if (mode !== "tun" && mode !== "tap") {
    throw new TypeError(`${action}: mode must be "tun" or "tap", not ${JSON.stringify(mode)}`);
  }
  return mode;
}
