/**
 * `tuntap del`: `ip tuntap del`; without `mode`, a delete of whatever the
 * device is; with several names (a form ip rejects), a delete of all of
 * them or, if one is missing or of another mode, of none. Many deletions
 * at once, from one line or from consecutive batch lines, go to the kernel
 * as one batch.
 *
 * @module
 */

import { deleteTunTap, deleteTunTaps } from "../delete.ts";
import { TunTapError } from "../errors.ts";
import type { DeleteOutcome, DeleteRequest, DeleteTunTapOptions } from "../types.ts";
import {
  attempt,
  type Command,
  type Context,
  type LineResult,
  linesRunner,
  netnsOption,
  reportText,
} from "./_context.ts";
import { type DeviceArgs, parseDeviceArgs } from "./_device_args.ts";

const NO_MODE = "You failed to specify a tunnel mode\n";

/** What one `del` line asks for: requests, nothing to do, or the missing-mode error. */
type Plan = DeleteRequest[] | "nothing" | "no mode";

function plan(args: DeviceArgs): Plan {
  if (args.names.length === 0) return args.mode === undefined ? "no mode" : "nothing"; // ip would delete a scratch device
  const expected: Omit<DeleteRequest, "name"> = args.mode !== undefined
    ? { mode: args.mode, multiQueue: args.multiQueue }
    : args.multiQueue
    ? { multiQueue: true }
    : {};
  return args.names.map((name) => ({ name, ...expected }));
}

function parse(words: readonly string[]): Plan {
  return plan(parseDeviceArgs(words, false, undefined, true));
}

/** Whether a line runs on its own: a missing mode, or a list of names (checked as a whole). */
function alone(p: Plan): boolean {
  return p === "no mode" || (Array.isArray(p) && p.length > 1);
}

/**
 * Runs consecutive lines as one {@linkcode deleteTunTaps} call, adding a
 * result per line; `false` when the batch stops.
 */
function runGroup(
  ctx: Context,
  group: readonly Plan[],
  stopOnError: boolean,
  results: LineResult[],
): boolean {
  if (group[0] === "no mode") {
    results.push({ status: 1, messages: NO_MODE });
    return !stopOnError;
  }
  const requests = group.flatMap((p) => (Array.isArray(p) ? p : []));
  // A list of names is all or nothing: a missing or mismatched name deletes none.
  // It is one line, so it runs whole; the batch stops after it if it failed.
  const requireAll = group.length === 1 && requests.length > 1;
  let outcomes: DeleteOutcome[];
  try {
    outcomes = deleteTunTaps(requests, {
      stopOnError: stopOnError && !requireAll,
      requireAll,
      ...netnsOption(ctx),
    });
  } catch (error) {
    if (!(error instanceof TunTapError)) throw error;
    // Nothing was deleted: every line fails, as each would alone.
    const failure = { status: 1, messages: reportText(error) };
    results.push(...(stopOnError ? [failure] : group.map(() => failure)));
    return !stopOnError;
  }
  let next = 0;
  for (const p of group) {
    const count = Array.isArray(p) ? p.length : 0;
    const mine = outcomes.slice(next, next + count);
    next += count;
    if (mine.length < count) return false; // stopped before this line
    const failed = mine.flatMap((o) => (o.error ? [o.error] : []));
    results.push({ status: failed.length > 0 ? 1 : 0, messages: failed.map(reportText).join("") });
    if (failed.length > 0 && stopOnError) return false;
  }
  return true;
}

/**
 * Runs the plans of consecutive lines: the single-name lines between lines
 * that run alone go to the kernel together.
 */
function runPlans(ctx: Context, plans: readonly Plan[], stopOnError: boolean): LineResult[] {
  const results: LineResult[] = [];
  let start = 0;
  while (start < plans.length) {
    let end = start;
    while (end < plans.length && !alone(plans[end] as Plan)) end++;
    if (end === start) end++;
    if (!runGroup(ctx, plans.slice(start, end), stopOnError, results)) break;
    start = end;
  }
  return results;
}

/** The `del` subcommand. */
export const command: Command = {
  run(ctx, words) {
    const p = parse(words);
    if (p === "nothing") return 0;
    if (p === "no mode") {
      ctx.err(NO_MODE);
      return 1;
    }
    if (p.length === 1) {
      const [{ name, ...expected }] = p as [DeleteRequest];
      const options: DeleteTunTapOptions = { ...expected, ...netnsOption(ctx) };
      return attempt(ctx, () => void deleteTunTap(name, options));
    }
    const [result] = runPlans(ctx, [p], false);
    if (result?.messages) ctx.err(result.messages);
    return result?.status ?? 0;
  },

  runLines: linesRunner(parse, runPlans),
};
