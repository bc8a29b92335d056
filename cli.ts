/**
 * The `tuntap` command: `ip tuntap` compatible, run with
 * `deno run --allow-ffi jsr:@netdev/tuntap/cli show` (`-batch FILE` also
 * needs `--allow-read` of that file).
 *
 * Subcommands: `add`, `del`, `show` (`list`, `lst`), `help` as
 * `ip tuntap` has them, with its options (`-n NS`, `-j`, `-p`, `-d`,
 * `-batch FILE`, `-force`); `set` and `addr` as `ip link set` and `ip addr`;
 * `info`, `apply`, `export`, `schema`, `monitor`, `doctor`, `completions` and
 * `man`. Exit statuses are iproute2's: 0, 1 for a failed operation, 255 for
 * bad arguments. `tuntap man` prints the manual page.
 *
 * @example Run the command from a program
 * ```ts
 * import { main } from "@netdev/tuntap/cli";
 * import assert from "node:assert/strict";
 *
 * const out: Uint8Array[] = [];
 * const io = {
 *   stdout: (b: Uint8Array) => void out.push(b),
 *   stderr: () => {},
 *   openInput: () => ({ read: () => null }),
 *   env: () => undefined,
 *   isTerminal: false,
 * };
 * assert.equal(await main(["schema"], io), 0);
 * assert.equal(JSON.parse(new TextDecoder().decode(out[0])).type, "object");
 * ```
 *
 * @module
 */

import { runCommandLine } from "./lib/cli/_run.ts";

export type { BatchInput } from "./lib/cli/_batch.ts";
export type { CliIo } from "./lib/cli/_io.ts";
export { main, runCommandLine } from "./lib/cli/_run.ts";

// The runtime ends in order (no Deno.exit): that is when it writes V8's code
// cache, which makes every later start faster than the shutdown costs.
if (import.meta.main) Deno.exitCode = await runCommandLine();
