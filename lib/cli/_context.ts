/**
 * What every subcommand runs with: the streams, the global options, and
 * iproute2's way of reporting a failure.
 *
 * @module
 */

import { TunTapError } from "../errors.ts";
import { CliExit } from "./_grammar.ts";
import type { GlobalOptions } from "./_options.ts";
import type { Output } from "./_output.ts";

/** What a subcommand runs with. */
export interface Context {
  /** The global options. */
  readonly options: GlobalOptions;
  /** Standard output. */
  readonly out: Output;
  /** Writes to standard error at once. */
  readonly err: (text: string) => void;
  /** The escape sequence for device names, when `-c` is in effect. */
  readonly color: string | undefined;
}

/** A subcommand: parses its words (a bad line throws a `CliExit`) and runs. */
export interface Command {
  /**
   * Runs the subcommand.
   *
   * @param ctx The context.
   * @param words The words after the subcommand.
   * @returns 0, or 1 when the kernel refused.
   */
  run(ctx: Context, words: readonly string[]): number | Promise<number>;
  /**
   * Runs consecutive batch lines of this subcommand together, when that is
   * faster than one by one, with the same results line by line. Messages are
   * returned, not printed, so that the batch interleaves them with its own.
   *
   * @param ctx The context.
   * @param lines The words of each line, after the subcommand.
   * @param stopOnError Whether to stop at the first failing line (no `-force`).
   * @returns The result of each line run (fewer when stopped), and the exit
   *   a line's parse error calls for after the lines before it ran.
   */
  runLines?(
    ctx: Context,
    lines: readonly (readonly string[])[],
    stopOnError: boolean,
  ): { results: LineResult[]; exit?: CliExit };
}

/** The result of one batch line run with others. */
export interface LineResult {
  /** 0, or 1 when it failed. */
  status: number;
  /** What it prints on stderr. */
  messages: string;
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

/**
 * The first line iproute2 prints for a failure: `perror` style for system
 * calls (`ioctl(TUNSETIFF): Device or resource busy`), its netlink style for
 * rtnetlink requests (`Error: <kernel message>.` or `RTNETLINK answers: …`),
 * or the failure in words when no system call reported it.
 *
 * @param error The failure.
 * @returns The line, without its newline.
 */
export function firstLine(error: TunTapError): string {
  if (error.detail !== undefined) return error.detail;
  if (!error.syscall.startsWith("RTM_")) return `${error.syscall}: ${error.description}`;
  if (error.extack) return `Error: ${error.extack}${error.extack.endsWith(".") ? "" : "."}`;
  return `RTNETLINK answers: ${error.description}`;
}

/**
 * Reports a failure: iproute2's first line, then a hint line when there is one.
 *
 * @param ctx The context.
 * @param error The failure.
 */
export function report(ctx: Context, error: TunTapError): void {
  ctx.err(reportText(error));
}

/**
 * What {@linkcode report} prints for a failure.
 *
 * @param error The failure.
 * @returns The lines.
 */
export function reportText(error: TunTapError): string {
  return `${firstLine(error)}\n${error.hint ? `  hint: ${error.hint}\n` : ""}`;
}

/**
 * Runs `work`; a {@linkcode TunTapError} becomes status 1 with its report.
 *
 * @param ctx The context.
 * @param work What to do.
 * @returns 0, or 1 on failure.
 */
export function attempt(ctx: Context, work: () => void): number {
  try {
    work();
    return 0;
  } catch (error) {
    if (!(error instanceof TunTapError)) throw error;
    report(ctx, error);
    return 1;
  }
}

/**
 * Prints a warning on stderr, as iproute2 prints its own.
 *
 * @param ctx The context.
 * @param message The warning, without "Warning: " or a newline.
 */
export function warn(ctx: Context, message: string): void {
  ctx.err(`Warning: ${message}\n`);
}

/** iproute2's warning for a dump the kernel interrupted (links changed meanwhile). */
export const DUMP_INTERRUPTED = "Dump was interrupted and may be inconsistent.";

/**
 * The `onInterrupted` option for list calls: iproute2's warning on stderr.
 *
 * @param ctx The context.
 * @returns The option.
 */
export function interruptedOption(ctx: Context): { onInterrupted: () => void } {
  return { onInterrupted: () => ctx.err(`${DUMP_INTERRUPTED}\n`) };
}
