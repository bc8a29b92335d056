/**
 * The `tuntap` command: `ip tuntap` compatible, run with
 * `deno run --allow-ffi --allow-read jsr:@netdev/tuntap/cli show`.
 *
 * @module
 */

import { runCommandLine } from "./lib/cli/mod.ts";

export { type BatchInput, type CliIo, main, runCommandLine } from "./lib/cli/mod.ts";

// Every write is synchronous and done by now: exiting at once skips the
// runtime's orderly shutdown, which costs about 2 ms of every run.
if (import.meta.main) Deno.exit(await runCommandLine());
