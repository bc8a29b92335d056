/**
 * Runs `tuntap` command lines: global options, then one command or a batch,
 * with iproute2's output, messages and exit statuses.
 *
 * @module
 */

import { ifnameColor, useColor } from "./_colors.ts";
import { findCommand, later, loadCommand, SUBCOMMAND_WORDS } from "./_commands.ts";
import type { Context } from "./_context.ts";
import { type CliIo, encodeOutput, Output } from "./_output.ts";
import type { BatchInput, BatchReader } from "./_batch.ts";
import { CliExit, matches } from "./_grammar.ts";
import { parseOptions } from "./_options.ts";

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

/** Most consecutive lines of one subcommand run together. */
const GROUP_LINES = 256;

async function runBatch(ctx: Context, io: CliIo, file: string): Promise<number> {
  let input: BatchInput;
  try {
    input = io.openInput(file);
  } catch (error) {
    ctx.err(`Cannot open file "${file}" for reading: ${osErrorText(error)}\n`);
    return 1;
  }
  try {
    const { BatchReader } = await later<typeof import("./_batch.ts")>("./_batch.ts");
    return await runLines(ctx, new BatchReader(input), file);
  } finally {
    input.close?.();
  }
}

/**
 * Runs the commands of a batch as they are read. Consecutive lines of a
 * subcommand that can run lines together (add, del) do so, as far as they
 * have already arrived: a line that is still on its way is not waited for.
 */
async function runLines(ctx: Context, reader: BatchReader, file: string): Promise<number> {
  let status = 0;
  /** Reports one line's outcome; false when the batch must stop. */
  const done = (line: number, result: number): boolean => {
    if (result === 0) return true;
    ctx.err(`Command failed ${file}:${line}\n`);
    status = 1;
    return ctx.options.force;
  };
  for (let item = reader.next(); item !== undefined; item = reader.next()) {
    if ("stop" in item) {
      ctx.err(`${item.stop}\n`);
      break;
    }
    const words = batchWords(item.args);
    if (words === undefined) {
      ctx.err(`Object "${item.args[0]}" is unknown, try "ip help".\n`);
      if (!done(item.line, 1)) break;
      continue;
    }
    const entry = findCommand(words[0]);
    const command = (await entry.load()).command;
    if (command.runLines === undefined) {
      if (!done(item.line, await command.run(ctx, words.slice(1)))) break;
      continue;
    }
    const lines = [{ line: item.line, words: words.slice(1) }];
    while (lines.length < GROUP_LINES) {
      const peek = reader.peek();
      if (peek === undefined || "stop" in peek) break;
      const more = batchWords(peek.args);
      if (more === undefined || !sameCommand(more[0], entry.key)) break;
      reader.next();
      lines.push({ line: peek.line, words: more.slice(1) });
    }
    const { results, exit } = command.runLines(ctx, lines.map((l) => l.words), !ctx.options.force);
    let stop = false;
    for (const [i, result] of results.entries()) {
      ctx.err(result.messages);
      if (!done((lines[i] as { line: number }).line, result.status)) {
        stop = true;
        break;
      }
    }
    if (stop) break;
    if (exit) throw exit;
  }
  return status;
}

/** Whether a word names the subcommand of `key` (an unknown word names none). */
function sameCommand(word: string | undefined, key: string): boolean {
  try {
    return findCommand(word).key === key;
  } catch {
    return false;
  }
}

/**
 * Enters the namespace of `-netns NAME` where iproute2 switches to it: while
 * the options are parsed. The thread stays there for the whole run (every
 * command of a batch), as iproute2's process does; `leave` switches back.
 * The namespace code is loaded only for command lines that may name one.
 */
async function netnsSwitch(
  args: readonly string[],
): Promise<{ enter: (name: string) => void; leave: () => void }> {
  if (!args.some((a) => a.startsWith("-n") || a.startsWith("--n"))) {
    return { enter: () => {}, leave: () => {} };
  }
  const [{ TunTapError }, { enterNetns }] = await Promise.all([
    later<typeof import("../errors.ts")>("../errors.ts"),
    later<typeof import("../netns.ts")>("../netns.ts"),
  ]);
  const exits: (() => void)[] = [];
  return {
    enter(name) {
      try {
        exits.push(enterNetns(name));
      } catch (error) {
        if (!(error instanceof TunTapError)) throw error;
        throw new CliExit(
          error.syscall === "setns"
            ? `setting the network namespace "${name}" failed: ${error.description}`
            : `Cannot open network namespace "${name}": ${error.description}`,
          255,
        );
      }
    },
    leave() {
      while (exits.length > 0) exits.pop()?.();
    },
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
  const err = (text: string) => io.stderr(encodeOutput(text));
  const netns = await netnsSwitch(args);
  try {
    const options = parseOptions(args, netns.enter);
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
    netns.leave();
  }
}
