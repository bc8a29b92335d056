/**
 * What `add` and `del` share: their arguments, parsed as `ip tuntap` parses
 * them (keywords are case-sensitive prefixes tried in a fixed order, any
 * other word is the device name, and errors come out in argument order), and
 * running consecutive batch lines of one of them together through a bulk
 * operation, with the results of running them one by one.
 *
 * @module
 */

import { resolveGroup, resolveUser } from "../device/_ids.ts";
import type { TunTapMode } from "../device/types.ts";
import { TunTapError } from "../errors.ts";
import type { Command, Context, LineResult } from "./_context.ts";
import {
  checkIfname,
  CliExit,
  eachWord,
  findKeyword,
  garbage,
  invalidArgument,
  type Keyword,
  matches,
  parseMode,
  usage,
} from "./_grammar.ts";
import { reportText } from "./_io.ts";

/** What `add` and `del` print, with exit status 1, when no mode was given (and `del` has a name). */
export const NO_MODE = "You failed to specify a tunnel mode\n";

/** The arguments of `add` and `del`. */
export interface DeviceArgs {
  /** `mode`; absent when not given ("You failed to specify a tunnel mode"). */
  mode?: TunTapMode;
  /** `name`, `dev` or a bare word; several only in the extension form of `del`. */
  names: string[];
  /** `user`, resolved; absent when not given or -1. */
  owner?: number;
  /** `group`, resolved; absent when not given or -1. */
  group?: number;
  /** `pi`. */
  pi: boolean;
  /** `one_queue`. */
  oneQueue: boolean;
  /** `vnet_hdr`. */
  vnetHdr: boolean;
  /** `multi_queue`. */
  multiQueue: boolean;
}

/** Resolves `user` and `group` values while parsing, as iproute2 does. */
export interface IdResolver {
  /** A uid, `undefined` for none (-1); throws when there is no such user. */
  user(value: string): number | undefined;
  /** A gid, `undefined` for none (-1); throws when there is no such group. */
  group(value: string): number | undefined;
}

/** NSS lookups, as iproute2 makes them. */
export const NSS: IdResolver = { user: resolveUser, group: resolveGroup };

function setId(
  args: DeviceArgs,
  field: "owner" | "group",
  kind: "user" | "group",
  value: string,
  r: IdResolver,
): void {
  let id: number | undefined;
  try {
    id = kind === "user" ? r.user(value) : r.group(value);
  } catch {
    throw new CliExit(`invalid ${kind} "${value}"`, 255);
  }
  if (id === undefined) delete args[field];
  else args[field] = id;
}

interface DeviceKeyword extends Keyword {
  readonly apply: (args: DeviceArgs, value: string, resolver: IdResolver) => void;
}

/** The keywords of `del`, in iproute2's matching order (all matched as prefixes). */
export const DEL_KEYWORDS: readonly DeviceKeyword[] = [
  { word: "mode", match: "prefix", value: "mode", apply: (a, v) => a.mode = parseMode(v, a.mode) },
  { word: "pi", match: "prefix", apply: (a) => a.pi = true },
  { word: "one_queue", match: "prefix", apply: (a) => a.oneQueue = true },
  { word: "vnet_hdr", match: "prefix", apply: (a) => a.vnetHdr = true },
  { word: "multi_queue", match: "prefix", apply: (a) => a.multiQueue = true },
  {
    word: "dev",
    match: "prefix",
    value: "tuntap",
    apply: (a, v) => {
      if (!checkIfname(v)) throw invalidArgument(v, '"dev" not a valid ifname');
      a.names[0] = v;
    },
  },
];

/** The keywords of `add`: those of `del`, with `user` and `group` after `mode`. */
export const ADD_KEYWORDS: readonly DeviceKeyword[] = [
  DEL_KEYWORDS[0] as DeviceKeyword,
  {
    word: "user",
    match: "prefix",
    value: "user",
    apply: (a, v, r) => setId(a, "owner", "user", v, r),
  },
  {
    word: "group",
    match: "prefix",
    value: "group",
    apply: (a, v, r) => setId(a, "group", "group", v, r),
  },
  ...DEL_KEYWORDS.slice(1),
];

/**
 * Parses the arguments of `add` or `del`.
 *
 * @param words The words after the subcommand.
 * @param add Whether it is `add` (`user` and `group` are keywords only there).
 * @param resolver Resolves `user` and `group` values.
 * @param manyNames Whether further bare words are more names (the `del NAME NAME...`
 *   extension) instead of garbage.
 * @returns The arguments.
 */
export function parseDeviceArgs(
  words: readonly string[],
  add: boolean,
  resolver: IdResolver = NSS,
  manyNames = false,
): DeviceArgs {
  const args: DeviceArgs = {
    names: [],
    pi: false,
    oneQueue: false,
    vnetHdr: false,
    multiQueue: false,
  };
  const keywords = add ? ADD_KEYWORDS : DEL_KEYWORDS;
  eachWord(words, (word, value) => {
    const keyword = findKeyword(keywords, word);
    if (keyword) {
      keyword.apply(args, keyword.value ? value() : "", resolver);
      return;
    }
    let name = word;
    if (matches(word, "name")) name = value();
    else if (matches(word, "help")) throw usage();
    if (args.names.length > 0 && !manyNames) throw garbage("name", name);
    if (!checkIfname(name)) throw invalidArgument(name, '"name" not a valid ifname');
    args.names.push(name);
  });
  return args;
}

/** A parsed line of `add` or `del`: its requests, or the message it fails with without running. */
export type LinePlan<R> = readonly R[] | string;

/** The outcome of one request of a bulk operation, for the CLI. */
export interface BulkOutcome {
  /** Why it failed (the line's status is then 1). */
  error?: TunTapError | undefined;
  /** A line for stderr that does not make the line fail. */
  notice?: string | undefined;
}

/**
 * A bulk operation behind a subcommand: one outcome per request, in order,
 * fewer when it stopped at a failure; it throws a {@linkcode TunTapError}
 * only when it did nothing.
 */
export type BulkRun<R> = (
  ctx: Context,
  requests: R[],
  options: { stopOnError: boolean; whole: boolean },
) => readonly BulkOutcome[];

/**
 * Runs parsed lines through a bulk operation, with the results of running
 * them one by one: consecutive lines go together, but a line `whole` picks
 * runs by itself and is never stopped halfway (`whole: true` is passed for
 * it). A line's result holds the failures of its requests; without `-force`
 * nothing runs after the first failed line.
 *
 * @param ctx The context.
 * @param plans The lines.
 * @param bulk The operation.
 * @param stopOnError Whether to stop at the first failed line.
 * @param whole Whether a line's requests run by themselves.
 * @returns The result of each line run.
 */
export function runGrouped<R>(
  ctx: Context,
  plans: readonly LinePlan<R>[],
  bulk: BulkRun<R>,
  stopOnError: boolean,
  whole: (requests: readonly R[]) => boolean = () => false,
): LineResult[] {
  const results: LineResult[] = [];
  let start = 0;
  while (start < plans.length) {
    const first = plans[start] as LinePlan<R>;
    if (typeof first === "string") {
      results.push({ status: 1, messages: first });
      if (stopOnError) break;
      start++;
      continue;
    }
    const alone = whole(first);
    let end = start + 1;
    while (!alone && end < plans.length) {
      const next = plans[end] as LinePlan<R>;
      if (typeof next === "string" || whole(next)) break;
      end++;
    }
    const group = plans.slice(start, end) as (readonly R[])[];
    start = end;
    let outcomes: readonly BulkOutcome[];
    try {
      outcomes = bulk(ctx, group.flat(), { stopOnError: stopOnError && !alone, whole: alone });
    } catch (error) {
      if (!(error instanceof TunTapError)) throw error;
      // Nothing was done: every line fails, as each would alone.
      const failure = { status: 1, messages: reportText(error) };
      results.push(...(stopOnError ? [failure] : group.map(() => failure)));
      if (stopOnError) break;
      continue;
    }
    let next = 0;
    for (const line of group) {
      const mine = outcomes.slice(next, next + line.length);
      next += line.length;
      if (mine.length < line.length) return results; // the operation stopped before this line
      const failed = mine.some((o) => o.error !== undefined);
      results.push({
        status: failed ? 1 : 0,
        messages: mine.map((o) =>
          (o.error ? reportText(o.error) : "") + (o.notice ? `${o.notice}\n` : "")
        ).join(""),
      });
      if (failed && stopOnError) return results;
    }
  }
  return results;
}

/**
 * Parses one line run on its own: its requests, or `undefined` once
 * iproute2's message for a line that is only a message (a missing mode) is
 * printed.
 *
 * @typeParam R The requests.
 * @param ctx The context.
 * @param parse Parses the words of one line (a bad line throws a `CliExit`).
 * @param words The words.
 * @returns The requests, or `undefined`.
 */
export function parseOne<R>(
  ctx: Context,
  parse: (words: readonly string[]) => LinePlan<R>,
  words: readonly string[],
): readonly R[] | undefined {
  const plan = parse(words);
  if (typeof plan !== "string") return plan;
  ctx.err(plan);
  return undefined;
}

/**
 * Builds {@linkcode Command.runLines} for a subcommand with a bulk
 * operation. Lines are parsed until one fails; the lines before it run (see
 * {@linkcode runGrouped}), and its exit follows unless they stopped the
 * batch first.
 *
 * @param parse Parses the words of one line (a bad line throws a `CliExit`).
 * @param bulk The bulk operation.
 * @param whole Whether a line's requests run by themselves.
 * @returns The `runLines` method.
 */
export function linesRunner<R>(
  parse: (words: readonly string[]) => LinePlan<R>,
  bulk: BulkRun<R>,
  whole?: (requests: readonly R[]) => boolean,
): NonNullable<Command["runLines"]> {
  return (ctx, lines, stopOnError) => {
    const plans: LinePlan<R>[] = [];
    let exit: CliExit | undefined;
    for (const words of lines) {
      try {
        plans.push(parse(words));
      } catch (error) {
        if (!(error instanceof CliExit)) throw error;
        exit = error;
        break;
      }
    }
    const results = runGrouped(ctx, plans, bulk, stopOnError, whole);
    return results.length < plans.length || exit === undefined ? { results } : { results, exit };
  };
}
