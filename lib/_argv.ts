/**
 * The calling process's command line, exactly as its bytes were given.
 *
 * @module
 */

import * as files from "../ffi/_files.ts";
import { decodeText } from "./netlink/_text.ts";

/** Longest command line Linux passes (`MAX_ARG_STRLEN` × a few), read whole. */
const CMDLINE_LIMIT = 4 * 1024 * 1024;
const lossy = new TextDecoder();

/**
 * The arguments of this process as their bytes were given: Deno decodes
 * arguments that are not UTF-8 with U+FFFD in place of the bytes it could
 * not decode, which would turn a device name into another. Such arguments
 * are read again from `/proc/self/cmdline` and decoded as names are (the
 * bytes kept, escaped as U+DC80–U+DCFF).
 *
 * @param args The arguments as Deno gives them (`Deno.args`).
 * @returns The same arguments, exact.
 * @throws {Error} When they cannot be recovered exactly.
 */
export function exactArgs(args: readonly string[]): string[] {
  if (!args.some((a) => a.includes("\uFFFD"))) return [...args];
  const raw = files.readSmallFile("/proc/self/cmdline", CMDLINE_LIMIT);
  const failure = "Cannot read the command line exactly: an argument is not UTF-8";
  if (typeof raw === "number") throw new Error(`${failure}, and /proc/self/cmdline is unreadable`);
  const entries: Uint8Array[] = [];
  for (let at = 0; at < raw.byteLength;) {
    let end = raw.indexOf(0, at);
    if (end < 0) end = raw.byteLength;
    entries.push(raw.subarray(at, end));
    at = end + 1;
  }
  const tail = entries.slice(entries.length - args.length);
  if (tail.length !== args.length || tail.some((bytes, i) => lossy.decode(bytes) !== args[i])) {
    throw new Error(`${failure}, and /proc/self/cmdline does not end with the arguments`);
  }
  return tail.map((bytes) => decodeText(bytes));
}
