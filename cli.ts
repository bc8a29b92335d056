/**
 * The `tuntap` command: `ip tuntap` compatible, run with
 * `deno run --allow-ffi --allow-read jsr:@netdev/tuntap/cli show`.
 *
 * @module
 */

import { main } from "./lib/cli/mod.ts";

export { type CliIo, main } from "./lib/cli/mod.ts";

if (import.meta.main) Deno.exitCode = await main(Deno.args);
