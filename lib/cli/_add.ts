/**
 * `tuntap add`: `ip tuntap add`. Consecutive batch lines enter the
 * namespace once, and nothing is read back (nothing is printed).
 *
 * @module
 */

import { createTunTap, createTunTaps } from "../create.ts";
import type { CreateRequest } from "../types.ts";
import {
  attempt,
  type BulkRun,
  type Command,
  type LinePlan,
  linesRunner,
  netnsOption,
} from "./_context.ts";
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

const bulk: BulkRun<CreateRequest> = (ctx, requests, { stopOnError }) =>
  createTunTaps(requests, { stopOnError, readBack: false, ...netnsOption(ctx) });

/** The `add` subcommand. */
export const command: Command = {
  run(ctx, words) {
    const plan = parse(words);
    if (typeof plan === "string") {
      ctx.err(plan);
      return 1;
    }
    return attempt(
      ctx,
      () => void createTunTap({ ...plan[0] as CreateRequest, ...netnsOption(ctx) }),
    );
  },

  runLines: linesRunner(parse, bulk),
};
