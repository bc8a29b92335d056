/**
 * Runs `tuntap` command lines: global options, then one command or a batch,
 * with iproute2's output, messages and exit statuses.
 *
 * @module
 */

import { ifnameColor, useColor } from "./_colors.ts";
import { later, loadCommand, SUBCOMMAND_WORDS } from "./_commands.ts";
import type { Context } from "./_context.ts";
import { type CliIo, Output } from "./_output.ts";
import { CliExit, matches } from "./_grammar.ts";
import { parseOptions } from "./_options.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function runWords(ctx: Context, words: readonly string[]): Promise<number> {
  const [first, ...rest] = words;
  return (await loadCommand(first)).run(ctx, rest);
}

/**
 * The words of a batch line without its object word (`tuntap`, `tap` or an
 * abbreviation iproute2 accepts), or `undefined` when the line names another
 * object.
 */
function batchWords(words: readonly string[]): readonly string[] | undefined {
  const [first = "", ...rest] = words;
  if (
    (first.length >= 4 && matches(first, "tuntap")) || (first.length >= 2 && matches(first, "tap"))
  ) {
    return rest;
  }
  return SUBCOMMAND_WORDS.some((word) => matches(first, word)) ? words : undefined;
}

function osErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = message.indexOf(" (os error");
  return at < 0 ? message : message.slice(0, at);
}

async function runBatch(ctx: Context, io: CliIo, file: string): Promise<number> {
  let text: string;
  try {
    text = decoder.decode(file === "-" ? io.stdin() : io.readFile(file));
  } catch (error) {
    ctx.err(`Cannot open file "${file}" for reading: ${osErrorText(error)}\n`);
    return 1;
  }
  const { readBatch } = await later<typeof import("./_batch.ts")>("./_batch.ts");
  let status = 0;
  for (const item of readBatch(text)) {
    if ("stop" in item) {
      ctx.err(`${item.stop}\n`);
      break;
    }
    const words = batchWords(item.args);
    let result: number;
    if (words === undefined) {
      ctx.err(`Object "${item.args[0]}" is unknown, try "ip help".\n`);
      result = 1;
    } else {
      result = await runWords(ctx, words);
    }
    if (result !== 0) {
      ctx.err(`Command failed ${file}:${item.line}\n`);
      status = 1;
      if (!ctx.options.force) break;
    }
  }
  return status;
}

/**
 * Checks `-netns NAME` where iproute2 switches to it: while the options are
 * parsed. The namespace code is loaded only for command lines that may name one.
 */
async function netnsChecker(args: readonly string[]): Promise<(name: string) => void> {
  if (!args.some((a) => a.startsWith("-n") || a.startsWith("--n"))) return () => {};
  const [{ TunTapError }, { checkNetns }] = await Promise.all([
    later<typeof import("../errors.ts")>("../errors.ts"),
    later<typeof import("../netns.ts")>("../netns.ts"),
  ]);
  return (name) => {
    try {
      checkNetns(name);
    } catch (error) {
      if (!(error instanceof TunTapError)) throw error;
      throw new CliExit(`Cannot open network namespace "${name}": ${error.description}`, 255);
    }
  };
}

/**
 * Runs the `tuntap` command line `args`.
 *
 * @param args The arguments, without the program name.
 * @param io The process's streams and environment.
 * @returns The exit status: 0, 1 (a command failed) or 255 (bad command line).
 */
export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const out = new Output(io);
  const err = (text: string) => io.stderr(encoder.encode(text));
  try {
    const options = parseOptions(args, await netnsChecker(args));
    const noColor = (io.env("NO_COLOR") ?? "") !== "";
    const color = useColor(options.color, options.json, io.isTerminal, noColor)
      ? ifnameColor(io.env("COLORFGBG"))
      : undefined;
    const ctx: Context = { options, out, err, color };
    if (options.batch !== undefined) return await runBatch(ctx, io, options.batch);
    return await runWords(ctx, options.rest);
  } catch (error) {
    if (error instanceof CliExit) {
      if (error.toStdout) out.write(`${error.message}\n`);
      else err(`${error.message}\n`);
      return error.status;
    }
    err(`tuntap: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    out.flush();
  }
}
