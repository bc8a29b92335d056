/**
 * Where a public operation words its failures, once: a failure of transport
 * ({@linkcode SyscallError}: errno, call, kernel text) becomes a
 * {@linkcode TunTapError} with the operation's "Cannot …" and a hint: what
 * the failing step already knew of the cause, or else the operation's part
 * of the hint table (`lib/_hints.ts`, which only the operations that have
 * hints load). Errors that are already worded (`TypeError`, `RangeError`,
 * `TunTapError`) pass through unchanged.
 *
 * @module
 */

import { TunTapError } from "./errors.ts";
import { withNetns } from "./netns/_netns.ts";
import { SyscallError } from "./transport/_syscall.ts";

/** What the failing operation was about, for hints that name it. */
export interface HintSubject {
  /** The device's name (or template). */
  name?: string | undefined;
  /** The owner uid asked for. */
  owner?: number | undefined;
  /** The group gid asked for. */
  group?: number | undefined;
  /** A new name asked for. */
  newName?: string | undefined;
  /** The namespace, as given. */
  netns?: string | undefined;
}

/** A hint: its text, or a function that finds it (it may look at the system). */
export type Hint = string | ((subject: HintSubject) => string | undefined);

/** An operation's hints, by the failing call and then by errno. */
export type Hints = Readonly<Record<string, Readonly<Record<number, Hint>>>>;

function hintOf(hints: Hints | undefined, error: SyscallError, subject: HintSubject) {
  if (error.explanation !== undefined) return error.explanation;
  const hint = hints?.[error.syscall]?.[error.errno];
  return typeof hint === "function" ? hint(subject) : hint;
}

/**
 * Words a failure of an operation.
 *
 * @param action What was attempted, as "Cannot do X".
 * @param hints The operation's hints, if it has any.
 * @param subject What it was about, for hints that name it.
 * @param error The failure.
 * @returns The failure to throw.
 */
export function word(
  action: string,
  hints: Hints | undefined,
  subject: HintSubject,
  error: unknown,
): unknown {
  if (!(error instanceof SyscallError)) return error;
  return new TunTapError(action, {
    errno: error.errno,
    syscall: error.syscall,
    extack: error.extack,
    detail: error.detail,
    hint: hintOf(hints, error, subject),
    cause: error.cause,
  });
}

/**
 * Runs the work of an operation and words its failure (see {@linkcode word}).
 *
 * @typeParam T What `work` returns.
 * @param action What is attempted, as "Cannot do X".
 * @param hints The operation's hints, if it has any.
 * @param subject What it is about, for hints that name it.
 * @param work The work.
 * @returns What `work` returned.
 */
export function worded<T>(
  action: string,
  hints: Hints | undefined,
  subject: HintSubject,
  work: () => T,
): T {
  try {
    return work();
  } catch (error) {
    throw word(action, hints, subject, error);
  }
}

/**
 * Runs the work of an operation inside a network namespace and words its
 * failures there, so that hints that look around look in that namespace;
 * a failure to enter it is worded too.
 *
 * @typeParam T What `work` returns.
 * @param action What is attempted, as "Cannot do X".
 * @param hints The operation's hints, if it has any.
 * @param subject What it is about, for hints that name it.
 * @param netns The namespace, or `undefined` for the current one.
 * @param work The work (synchronous: it must not await).
 * @returns What `work` returned.
 */
export function operate<T>(
  action: string,
  hints: Hints | undefined,
  subject: HintSubject,
  netns: string | undefined,
  work: () => T,
): T {
  return worded(
    action,
    hints,
    { ...subject, netns },
    () => withNetns(netns, () => worded(action, hints, subject, work)),
  );
}
