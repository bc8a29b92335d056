/**
 * `tuntap add`: `ip tuntap add`. Consecutive batch lines enter the
 * namespace once, and nothing is read back (nothing is printed).
 *
 * @module
 */

import { createTunTap, createTunTaps } from "../create.ts";
import { TunTapError } from "../errors.ts";
import type { CreateOutcome, CreateRequest } from "../types.ts";
import {
  attempt,
  type Command,
  type Context,
  type LineResult,
  linesRunner,
  netnsOption,
  reportText,
} from "./_context.ts";
import { parseDeviceArgs } from "./_device_args.ts";

const NO_MODE = "You failed to specify a tunnel mode\n";

/** What one `add` line asks for, or the missing-mode error. */
type Plan = CreateRequest | "no mode";

function parse(words: readonly string[]): Plan {
  const args = parseDeviceArgs(words, true);
  if (args.mode === undefined) return "no mode";
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
  return request;
}

/** Runs the lines: each run of lines with a mode is one {@linkcode createTunTaps} call. */
function runPlans(ctx: Context, plans: readonly Plan[], stopOnError: boolean): LineResult[] {
  const results: LineResult[] = [];
  let start = 0;
  while (start < plans.length) {
    if (plans[start] === "no mode") {
      results.push({ status: 1, messages: NO_MODE });
      if (stopOnError) break;
      start++;
      continue;
    }
    let end = start;
    while (end < plans.length && plans[end] !== "no mode") end++;
    const requests = plans.slice(start, end) as CreateRequest[];
    let outcomes: CreateOutcome[];
    try {
      outcomes = createTunTaps(requests, { stopOnError, readBack: false, ...netnsOption(ctx) });
    } catch (error) {
      if (!(error instanceof TunTapError)) throw error;
      // Entering the namespace failed: every line fails, as each would alone.
      const failure = { status: 1, messages: reportText(error) };
      results.push(...(stopOnError ? [failure] : requests.map(() => failure)));
      if (stopOnError) break;
      start = end;
      continue;
    }
    for (const { error } of outcomes) {
      results.push(
        error ? { status: 1, messages: reportText(error) } : { status: 0, messages: "" },
      );
    }
    if (outcomes.length < requests.length || (stopOnError && outcomes.at(-1)?.error)) break;
    start = end;
  }
  return results;
}

/** The `add` subcommand. */
export const command: Command = {
  run(ctx, words) {
    const plan = parse(words);
    if (plan === "no mode") {
      ctx.err(NO_MODE);
      return 1;
    }
    return attempt(ctx, () => void createTunTap({ ...plan, ...netnsOption(ctx) }));
  },

  runLines: linesRunner(parse, runPlans),
};
