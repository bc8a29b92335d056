/**
 * `tuntap add`: `ip tuntap add`. Nothing is read back (nothing is
 * printed); consecutive batch lines run together.
 *
 * @module
 */

import { createTunTaps } from "../create.ts";
import type { CreateRequest } from "../types.ts";
import { type BulkRun, type Command, type LinePlan, linesRunner, report } from "./_context.ts";
import { NO_MODE, parseDeviceArgs } from "./_device_args.ts";

/** One `add` line: its request, or the missing-mode message. */
function parse(words: readonly string[]): LinePlan<CreateRequest> {
  const args = parseDeviceArgs(words, true);
  if (args.mode === undefined) return NO_MODE;
  const request: CreateRequest = {
    mode: args.mode,
    pi: args.pi,
    vnetHdr: args.vnetHdr,
    multiQueue: args.multiQueue,
    oneQueue: args.oneQueue,
  };
  const [name] = args.names;
  if (name !== undefined) request.name = name;
  if (args.owner !== undefined) request.owner = args.owner;
  if (args.group !== undefined) request.group = args.group;
  return [request];
}

// Nothing is read back: add prints nothing.
const bulk: BulkRun<CreateRequest> = (_ctx, requests, { stopOnError }) =>
  createTunTaps(requests, { stopOnError, readBack: false });

/** The `add` subcommand. */
export const command: Command = {
  run(ctx, words) {
    const plan = parse(words);
    if (typeof plan === "string") {
      ctx.err(plan);
      return 1;
    }
    const [outcome] = bulk(ctx, [...plan], { stopOnError: true, whole: false });
    if (outcome?.error === undefined) return 0;
    report(ctx, outcome.error);
    return 1;
  },

  runLines: linesRunner(parse, bulk),
};
