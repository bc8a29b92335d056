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

/**
 * Builds {@linkcode Command.runLines} from a parser of one line and a runner
 * of parsed lines. Lines are parsed until one fails; the lines before it run,
 * and its exit follows unless they stopped the batch first.
 *
 * @param parse Parses the words of one line (a bad line throws a `CliExit`).
 * @param run Runs parsed lines, returning a result per line run.
 * @returns The `runLines` method.
 */
export function linesRunner<P>(
  parse: (words: readonly string[]) => P,
  run: (ctx: Context, plans: readonly P[], stopOnError: boolean) => LineResult[],
): NonNullable<Command["runLines"]> {
  return (ctx, lines, stopOnError) => {
    const plans: P[] = [];
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
    const results = run(ctx, plans, stopOnError);
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
 * The `netns` option for library calls, from `-n`.
 *
 * @param ctx The context.
 * @returns The option.
 */
export function netnsOption(ctx: Context): { netns?: string } {
  return ctx.options.netns === undefined ? {} : { netns: ctx.options.netns };
}
