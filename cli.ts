/**
 * The `tuntap` command: `ip tuntap` compatible, run with
 * `deno run --allow-ffi jsr:@netdev/tuntap/cli show` (`-batch FILE` also
 * needs `--allow-read` of that file).
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
