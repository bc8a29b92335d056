/**
 * The `tuntap` command line: iproute2's `ip tuntap` grammar, output and exit
 * statuses, on top of the library.
 *
 * @module
 */

import type { CliIo } from "./_output.ts";
import { run } from "./_run.ts";

export type { CliIo } from "./_output.ts";

function writeAll(file: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.byteLength) done += file.writeSync(bytes.subarray(done));
}

function readAll(file: { readSync(p: Uint8Array): number | null }): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const chunk = new Uint8Array(64 * 1024);
    const n = file.readSync(chunk);
    if (n === null) break;
    chunks.push(chunk.subarray(0, n));
    size += n;
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // --allow-env not granted for it: as if unset
  }
}

/**
 * The real process's streams and environment.
 *
 * @returns The I/O.
 */
export function denoIo(): CliIo {
  return {
    stdout(bytes) {
      try {
        writeAll(Deno.stdout, bytes);
      } catch (error) {
        // A closed pipe (`tuntap show | head -1`) ends the output, quietly.
        if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
      }
    },
    stderr: (bytes) => writeAll(Deno.stderr, bytes),
    stdin: () => readAll(Deno.stdin),
    readFile: (path) => Deno.readFileSync(path),
    env,
    isTerminal: Deno.stdout.isTerminal(),
  };
}

/**
 * Runs the `tuntap` command line.
 *
 * @example Usage
 * ```ts
 * import { main } from "@netdev/tuntap/cli";
 * import assert from "node:assert/strict";
 *
 * const stderr: Uint8Array[] = [];
 * const io = {
 *   stdout: () => {},
 *   stderr: (b: Uint8Array) => void stderr.push(b),
 *   stdin: () => new Uint8Array(),
 *   readFile: () => new Uint8Array(),
 *   env: () => undefined,
 *   isTerminal: false,
 * };
 * assert.equal(await main(["bogus"], io), 255);
 * assert.equal(
 *   new TextDecoder().decode(stderr[0]),
 *   'Command "bogus" is unknown, try "ip tuntap help".\n',
 * );
 * ```
 *
 * @param args The arguments, without the program name.
 * @param io The process's streams and environment; the real ones by default.
 * @returns The exit status: 0, 1 (a command failed) or 255 (bad command line).
 */
export function main(args: readonly string[], io: CliIo = denoIo()): Promise<number> {
  return run(args, io);
}
