/**
 * `tuntap add`: `ip tuntap add`. Nothing is read back (nothing is
 * printed); consecutive batch lines run together.
 *
 * @module
 */

import { type CreateRequest, createTunTaps } from "../device/create.ts";
import type { Command } from "./_context.ts";
import {
  ADD_KEYWORDS,
  type BulkRun,
  type LinePlan,
  linesRunner,
  NO_MODE,
  parseDeviceArgs,
  parseOne,
} from "./_device_args.ts";
import type { CommandSpec } from "./_grammar.ts";
import { report } from "./_io.ts";

/** The grammar of `add`. */
export const spec: CommandSpec = {
  names: ["add"],
  usage: [
    "add [ dev | name ] NAME mode { tun | tap } [ user USER ] [ group GROUP ]",
    "    [ pi ] [ vnet_hdr ] [ multi_queue ] [ one_queue ]",
  ],
  summary: "create a persistent device; NAME may hold one %d",
  keywords: [...ADD_KEYWORDS, { word: "name", match: "prefix", value: "name" }],
  operand: "name",
};

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
  spec,
  run(ctx, words) {
    const plan = parseOne(ctx, parse, words);
    if (plan === undefined) return 1;
    const [outcome] = bulk(ctx, [...plan], { stopOnError: true, whole: false });
    if (outcome?.error === undefined) return 0;
    report(ctx, outcome.error);
    return 1;
  },

  runLines: linesRunner(parse, bulk),
};
