/** Assertions shared by the kernel tests. */

import { TunTapError } from "../mod.ts";

/** The TunTapError `fn` throws; fails if it throws nothing or something else. */
export function errorOf(fn: () => unknown): TunTapError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TunTapError) return error;
    throw error;
  }
  throw new Error("Expected a TunTapError, and nothing was thrown");
}

/** The code of the TunTapError `fn` throws. */
export function codeOf(fn: () => unknown): string {
  return errorOf(fn).code;
}
