/**
 * Owner and group values, with iproute2's rules: a decimal number as C
 * `strtol` reads it (leading whitespace and a sign allowed, clamped to the
 * range of `long`, then truncated to 32 bits), or else a name looked up
 * through NSS. `(uid_t)-1` means "not set".
 *
 * @module
 */

import * as libc from "../ffi/mod.ts";
import { EINVAL } from "./_kernel.ts";
import { TunTapError } from "./errors.ts";

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
  let id: number;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new TunTapError(`Cannot use ${kind} ${value}`, {
        errno: EINVAL,
        syscall: kind === "user" ? "TUNSETOWNER" : "TUNSETGROUP",
        detail: "it is not an integer",
      });
    }
    id = Number(BigInt.asUintN(32, BigInt(value)));
  } else {
    const number = parseCLong(value);
    if (number !== undefined) {
      id = Number(BigInt.asUintN(32, number));
    } else {
      const found = value === ""
        ? undefined
        : kind === "user"
        ? libc.userId(value)
        : libc.groupId(value);
      const lookup = kind === "user" ? "getpwnam_r" : "getgrnam_r";
      if (found === undefined) {
        throw new TunTapError(`Cannot resolve ${kind} "${value}"`, {
          errno: EINVAL,
          syscall: lookup,
          detail: `no such ${kind}`,
          hint: `give a number, or a ${kind} name known to this system (getent ${
            kind === "user" ? "passwd" : "group"
          })`,
        });
      }
      if (found < 0) {
        throw new TunTapError(`Cannot resolve ${kind} "${value}"`, {
          errno: -found,
          syscall: lookup,
        });
      }
      id = found;
    }
  }
  return id === UNSET ? undefined : id;
}

/**
 * Resolves an owner: a uid, a decimal string, or a user name.
 *
 * @param value The owner.
 * @returns The uid, or `undefined` for "no owner" (`-1`).
 */
export function resolveUser(value: number | string): number | undefined {
  return resolve("user", value);
}

/**
 * Resolves a group: a gid, a decimal string, or a group name.
 *
 * @param value The group.
 * @returns The gid, or `undefined` for "no group" (`-1`).
 */
export function resolveGroup(value: number | string): number | undefined {
  return resolve("group", value);
}
