/**
 * Runs `tuntap` command lines: global options, then one command or a batch,
 * with iproute2's output, messages and exit statuses; and the entry points,
 * `runCommandLine` (this process's arguments and streams) and `main` (any
 * arguments and streams).
 *
 * @module
 */

import { errnoDescription } from "../_errno.ts";
import { enterNetns } from "../netns/_netns.ts";
import { SyscallError } from "../transport/_syscall.ts";
import type { BatchInput } from "./_batch.ts";
import { findCommand } from "./_commands.ts";
import type { Context } from "./_context.ts";
import { CliExit } from "./_grammar.ts";
import { type CliIo, encodeOutput, Output } from "./_io.ts";
import { HelpRequest, parseOptions, VersionRequest } from "./_options.ts";
import { ifnameColor, useColor } from "./_show.ts";

async function runWords(ctx: Context, words: readonly string[]): Promise<number> {
  const [first, ...rest] = words;
  return await (await findCommand(first).load()).run(ctx, rest);
}

function osErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = message.indexOf(" (os error");
  return at < 0 ? message : message.slice(0, at);
}

async function runBatch(ctx: Context, io: CliIo, file: string): Promise<number> {
  let input: BatchInput;
  try {
    input = io.openInput(file);
  } catch (error) {
    ctx.err(`Cannot open file "${file}" for reading: ${osErrorText(error)}\n`);
    return 1;
  }
  try {
    // Loaded when a batch runs: a single command does not pay for the reader.
    const { BatchReader, runBatchLines } = await import("./_batch.ts");
    return await runBatchLines(ctx, new BatchReader(input), file);
  } finally {
    input.close?.();
  }
}

/**
 * Enters the namespace of `-netns NAME` where iproute2 switches to it: while
 * the options are parsed. The thread stays there for the whole run (every
 * command of a batch), as iproute2's process does; `leave` switches back.
 */
function netnsSwitch(): { enter: (name: string) => void; leave: () => void } {
  const exits: (() => void)[] = [];
  return {
    enter(name) {
      try {
        exits.push(enterNetns(name));
      } catch (error) {
        if (!(error instanceof SyscallError)) throw error;
        throw new CliExit(
          error.syscall === "setns"
            ? `setting the network namespace "${name}" failed: ${errnoDescription(error.errno)}`
            : `Cannot open network namespace "${name}": ${errnoDescription(error.errno)}`,
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
  const netns = netnsSwitch();
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
      // The help text (written from every subcommand's description) and the
      // version (read from deno.json) are loaded when asked for.
      const text = error instanceof HelpRequest
        ? await (await import("./_help.ts")).helpText()
        : error instanceof VersionRequest
        ? `${(await import("./_help.ts")).VERSION_LINE}\n`
        : `${error.message}\n`;
      if (error.toStdout) out.write(text);
      else err(text);
      return error.status;
    }
    err(`tuntap: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    out.flush();
    netns.leave();
  }
}

function writeAll(file: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.byteLength) done += file.writeSync(bytes.subarray(done));
}

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // --allow-env not granted for it: as if unset
  }
}

/**
 * The real process's streams and environment.
 *
 * @returns The I/O.
 */
function denoIo(): CliIo {
  return {
    stdout(bytes) {
      try {
        writeAll(Deno.stdout, bytes);
        return true;
      } catch (error) {
        // A closed pipe (`tuntap show | head -1`) ends the output, quietly.
        if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
        return false;
      }
    },
    stderr: (bytes) => writeAll(Deno.stderr, bytes),
    openInput(path) {
      if (path === "-") return { read: (buffer) => Deno.stdin.readSync(buffer) };
      const file = Deno.openSync(path);
      return { read: (buffer) => file.readSync(buffer), close: () => file.close() };
    },
    env,
    isTerminal: Deno.stdout.isTerminal(),
  };
}

/**
 * Runs this process's command line with the real streams. Arguments keep
 * their exact bytes: one that is not UTF-8 (a device name made by another
 * tool) names the device whose name has those bytes, never another.
 *
 * @example Usage
 * ```ts ignore
 * import { runCommandLine } from "@netdev/tuntap/cli";
 *
 * // (Not run by `deno test --doc`, which would hand it the test runner's arguments:
 * // tests/doc_examples_test.ts runs it as `deno run … show` in a private namespace.)
 *
 * Deno.exit(await runCommandLine());
 * ```
 *
 * @returns The exit status, as {@linkcode main} returns it.
 */
export async function runCommandLine(): Promise<number> {
  const io = denoIo();
  let args: string[];
  try {
    // Read again only when Deno had to replace bytes: most command lines are UTF-8.
    args = Deno.args.some((a) => a.includes("\uFFFD"))
      ? (await import("../_argv.ts")).exactArgs(Deno.args)
      : [...Deno.args];
  } catch (error) {
    io.stderr(new TextEncoder().encode(`tuntap: ${(error as Error).message}\n`));
    return 255;
  }
  return run(args, io);
}

/**
 * Runs the `tuntap` command line.
 *
 * @example Usage
 * ```ts
 * import { main } from "@netdev/tuntap/cli";
 * import assert from "node:assert/strict";
 *
 * const stderr: Uint8Array[] = [];
 * const io = {
 *   stdout: () => {},
 *   stderr: (b: Uint8Array) => void stderr.push(b),
 *   openInput: () => ({ read: () => null }),
 *   env: () => undefined,
 *   isTerminal: false,
 * };
 * assert.equal(await main(["bogus"], io), 255);
 * assert.equal(
 *   new TextDecoder().decode(stderr[0]),
 *   'Command "bogus" is unknown, try "ip tuntap help".\n',
 * );
 * ```
 *
 * @param args The arguments, without the program name.
 * @param io The process's streams and environment; the real ones by default.
 * @returns The exit status: 0, 1 (a command failed) or 255 (bad command line).
 */
export function main(args: readonly string[], io: CliIo = denoIo()): Promise<number> {
  return run(args, io);
}
