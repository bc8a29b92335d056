/**
 * The error type of every operation that reaches the kernel. It is built
 * from a static errno table: constructing one loads nothing and needs no
 * permission.
 *
 * @module
 */

import { errnoDescription, errnoName } from "./_errno.ts";

/** Fields of a {@linkcode TunTapError}. */
export interface TunTapErrorOptions {
  /** The errno value (positive). */
  errno: number;
  /**
   * The operation that failed, named as iproute2 names it in its messages:
   * `open`, `ioctl(TUNSETIFF)`, `ioctl(TUNSETPERSIST)`, `RTM_NEWADDR`, ….
   */
  syscall: string;
  /** What the user can do about it, when the cause is knowable. */
  hint?: string | undefined;
  /** The kernel's extended-ack text, for rtnetlink requests: only the kernel's own words. */
  extack?: string | undefined;
  /**
   * Replaces the default detail ("SYSCALL failed: DESCRIPTION (CODE)") of the
   * message, for failures said better in words; a detail that starts with the
   * action is the whole message.
   */
  detail?: string | undefined;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * A failed kernel operation: carries the errno, its symbolic code, the
 * operation, and where the cause is knowable a hint.
 *
 * @example Usage
 * ```ts
 * import { TunTapError } from "@netdev/tuntap";
 * import assert from "node:assert/strict";
 *
 * const error = new TunTapError('Cannot create device "tn0"', {
 *   errno: 16,
 *   syscall: "ioctl(TUNSETIFF)",
 *   hint: "a device named tn0 already exists",
 * });
 * assert.equal(error.code, "EBUSY");
 * assert.equal(error.description, "Device or resource busy");
 * assert.equal(
 *   error.message,
 *   'Cannot create device "tn0": ioctl(TUNSETIFF) failed: Device or resource busy (EBUSY)',
 * );
 * ```
 */
export class TunTapError extends Error {
  /** The errno value, such as 16. */
  readonly errno: number;
  /** The symbolic errno name, such as `"EBUSY"`. */
  readonly code: string;
  /** The operation that failed, such as `"ioctl(TUNSETIFF)"`. */
  readonly syscall: string;
  /** The C library's text for the errno, such as `"Device or resource busy"`. */
  readonly description: string;
  /** What the user can do about it, if known. */
  readonly hint: string | undefined;
  /** The kernel's extended-ack text, if it sent one. */
  readonly extack: string | undefined;
  /** The failure in words, when no system call reported it (a missing device, an unknown user). */
  readonly detail: string | undefined;

  /**
   * Creates the error.
   *
   * @param action What was attempted, as "Cannot do X".
   * @param options The errno, the operation and optional details.
   */
  constructor(action: string, options: TunTapErrorOptions) {
    const code = errnoName(options.errno);
    const description = errnoDescription(options.errno);
    const text = options.extack ? `${description}: ${options.extack}` : description;
    const detail = options.detail ?? `${options.syscall} failed: ${text} (${code})`;
    super(detail.startsWith(action) ? detail : `${action}: ${detail}`, {
      cause: options.cause,
    });
    this.name = "TunTapError";
    this.errno = options.errno;
    this.code = code;
    this.syscall = options.syscall;
    this.description = description;
    this.hint = options.hint;
    this.extack = options.extack;
    this.detail = options.detail;
  }
}
