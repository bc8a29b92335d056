/**
 * What every subcommand runs with (the streams, the global options), and
 * what a subcommand is.
 *
 * @module
 */

import type { CliExit, CommandSpec } from "./_grammar.ts";
import type { GlobalOptions } from "./_options.ts";
import type { Output } from "./_io.ts";

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
  /** Its grammar, usage and summary. */
  readonly spec: CommandSpec;
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
