/**
 * The `tuntap` command line: iproute2's `ip tuntap` grammar, output and exit
 * statuses, on top of the library.
 *
 * @module
 */

import { exactArgs } from "../_process.ts";
import type { CliIo } from "./_output.ts";
import { run } from "./_run.ts";

export type { BatchInput } from "./_batch.ts";
export type { CliIo } from "./_output.ts";

function writeAll(file: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.byteLength) done += file.writeSync(bytes.subarray(done));
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
    openInput(path) {
      if (path === "-") return { read: (buffer) => Deno.stdin.readSync(buffer) };
      const file = Deno.openSync(path);
      return { read: (buffer) => file.readSync(buffer), close: () => file.close() };
    },
    env,
    isTerminal: Deno.stdout.isTerminal(),
  };
}

/**
 * Runs this process's command line with the real streams. Arguments keep
 * their exact bytes: one that is not UTF-8 (a device name made by another
 * tool) names the device whose name has those bytes, never another.
 *
 * @example Usage
 * ```ts ignore
 * import { runCommandLine } from "@netdev/tuntap/cli";
 *
 * Deno.exit(await runCommandLine());
 * ```
 *
 * @returns The exit status, as {@linkcode main} returns it.
 */
export function runCommandLine(): Promise<number> {
  const io = denoIo();
  let args: string[];
  try {
    args = exactArgs(Deno.args);
  } catch (error) {
    io.stderr(new TextEncoder().encode(`tuntap: ${(error as Error).message}\n`));
    return Promise.resolve(255);
  }
  return run(args, io);
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
 *   openInput: () => ({ read: () => null }),
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
