/**
 * Owner and group values, with iproute2's rules: a decimal number as C
 * `strtol` reads it (leading whitespace and a sign allowed, clamped to the
 * range of `long`, then truncated to 32 bits), or else a name looked up
 * through NSS. `(uid_t)-1` means "not set".
 *
 * @module
 */

import * as files from "../../ffi/_files.ts";
import { EINVAL } from "../_errno.ts";
import { SyscallError } from "../transport/_syscall.ts";

const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);
const UNSET = 0xffffffff;
const NUMBER = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/;

/**
 * Reads `text` as `strtol(text, &end, 10)` does when it must consume all of
 * it.
 *
 * @param text The text.
 * @returns The value clamped to the range of `long`, or `undefined` if the
 *   text is not entirely a decimal number.
 */
export function parseCLong(text: string): bigint | undefined {
  const match = NUMBER.exec(text);
  if (!match) return undefined;
  const magnitude = BigInt(match[2] as string);
  const value = match[1] === "-" ? -magnitude : magnitude;
  return value > LONG_MAX ? LONG_MAX : value < LONG_MIN ? LONG_MIN : value;
}

type Kind = "user" | "group";

function resolve(kind: Kind, value: number | string): number | undefined {
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < -1 || value > UNSET) {
      throw new RangeError(
        `Cannot use ${kind} ${value}: it must be an integer from 0 to ${UNSET}, or -1 for none`,
      );
    }
    return value === -1 || value === UNSET ? undefined : value;
  }
  if (typeof value !== "string") {
    throw new TypeError(`Cannot use ${kind} ${String(value)}: it must be a number or a string`);
  }
  const number = parseCLong(value);
  if (number !== undefined) {
    const id = Number(BigInt.asUintN(32, number));
    return id === UNSET ? undefined : id;
  }
  const found = value === ""
    ? undefined
    : kind === "user"
    ? files.userId(value)
    : files.groupId(value);
  const lookup = kind === "user" ? "getpwnam_r" : "getgrnam_r";
  if (found === undefined) {
    throw new SyscallError(EINVAL, lookup, {
      detail: `no such ${kind} "${value}"`,
      explanation: `give a number, or a ${kind} name known to this system (getent ${
        kind === "user" ? "passwd" : "group"
      })`,
    });
  }
  if (found < 0) throw new SyscallError(-found, lookup);
  return found === UNSET ? undefined : found;
}

/**
 * Resolves an owner: a uid (-1 for none), a decimal string as iproute2
 * reads it, or a user name.
 *
 * @param value The owner.
 * @returns The uid, or `undefined` for "no owner" (`-1`).
 * @throws {RangeError} For a number out of range.
 * @throws {SyscallError} For a name that is not a user.
 */
export function resolveUser(value: number | string): number | undefined {
  return resolve("user", value);
}

/**
 * Resolves a group: a gid (-1 for none), a decimal string as iproute2
 * reads it, or a group name.
 *
 * @param value The group.
 * @returns The gid, or `undefined` for "no group" (`-1`).
 * @throws {RangeError} For a number out of range.
 * @throws {SyscallError} For a name that is not a group.
 */
export function resolveGroup(value: number | string): number | undefined {
  return resolve("group", value);
}
