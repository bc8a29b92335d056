/**
 * Runs `tuntap` command lines: global options, one command or a batch, with
 * iproute2's output, messages and exit statuses.
 *
 * @module
 */

import { TunTapError } from "../errors.ts";
import { resolveGroup, resolveUser } from "../ids.ts";
import { checkNetns } from "../netns.ts";
import { attachedProcesses } from "../processes.ts";
import { createTunTap, deleteTunTap, listTunTaps } from "../tuntap.ts";
import type { CreateTunTapOptions, DeleteTunTapOptions, ListTunTapsOptions } from "../types.ts";
import { readBatch } from "./_batch.ts";
import { ifnameColor, useColor } from "./_colors.ts";
import { CliExit, matches } from "./_exit.ts";
import {
  type Command,
  type DeviceArgs,
  type IdResolver,
  parseCommand,
  type ShowArgs,
  SUBCOMMAND_WORDS,
} from "./_grammar.ts";
import { type GlobalOptions, parseOptions } from "./_options.ts";
import { renderJson, renderPlain } from "./_render.ts";

/** The process's streams and environment, replaceable in tests. */
export interface CliIo {
  /** Writes bytes to standard output. */
  stdout(bytes: Uint8Array): void;
  /** Writes bytes to standard error. */
  stderr(bytes: Uint8Array): void;
  /** Reads all of standard input. */
  stdin(): Uint8Array;
  /** Reads a file (for `-batch FILE`). */
  readFile(path: string): Uint8Array;
  /** An environment variable, or `undefined`. */
  env(name: string): string | undefined;
  /** Whether standard output is a terminal. */
  isTerminal: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Like stdio: line by line to a terminal, else in 4 KiB blocks, all at exit. */
class Output {
  #pending = "";
  readonly #io: CliIo;

  constructor(io: CliIo) {
    this.#io = io;
  }

  write(text: string): void {
    this.#pending += text;
    if (this.#io.isTerminal || this.#pending.length >= 4096) this.flush();
  }

  flush(): void {
    if (this.#pending === "") return;
    const bytes = encoder.encode(this.#pending);
    this.#pending = "";
    this.#io.stdout(bytes);
  }
}

interface Context {
  readonly options: GlobalOptions;
  readonly out: Output;
  readonly err: (text: string) => void;
  readonly color: string | undefined;
}

const RESOLVER: IdResolver = { user: resolveUser, group: resolveGroup };

/** Reports a kernel failure as iproute2 does (`perror`), plus hint lines. */
function report(ctx: Context, error: TunTapError): void {
  let text = `${error.syscall}: ${error.description}\n`;
  if (error.extack) text += `  hint: the kernel said: ${error.extack}\n`;
  if (error.hint) text += `  hint: ${error.hint}\n`;
  ctx.err(text);
}

/** Runs `work`; a {@linkcode TunTapError} becomes status 1 with its report. */
function attempt(ctx: Context, work: () => void): number {
  try {
    work();
    return 0;
  } catch (error) {
    if (!(error instanceof TunTapError)) throw error;
    report(ctx, error);
    return 1;
  }
}

function netns(ctx: Context): { netns?: string } {
  return ctx.options.netns === undefined ? {} : { netns: ctx.options.netns };
}

function noMode(ctx: Context): number {
  ctx.err("You failed to specify a tunnel mode\n");
  return 1;
}

function runAdd(ctx: Context, args: DeviceArgs): number {
  if (args.mode === undefined) return noMode(ctx);
  const options: CreateTunTapOptions = {
    mode: args.mode,
    pi: args.pi,
    vnetHdr: args.vnetHdr,
    multiQueue: args.multiQueue,
    oneQueue: args.oneQueue,
    ...netns(ctx),
  };
  if (args.name !== undefined) options.name = args.name;
  if (args.owner !== undefined) options.owner = args.owner;
  if (args.group !== undefined) options.group = args.group;
  return attempt(ctx, () => void createTunTap(options));
}

function runDel(ctx: Context, args: DeviceArgs): number {
  if (args.name === undefined) return args.mode === undefined ? noMode(ctx) : 0;
  const options: DeleteTunTapOptions = netns(ctx);
  if (args.mode !== undefined) {
    options.mode = args.mode;
    options.multiQueue = args.multiQueue;
  } else if (args.multiQueue) {
    options.multiQueue = true;
  }
  const name = args.name;
  return attempt(ctx, () => void deleteTunTap(name, options));
}

function runShow(ctx: Context, args: ShowArgs): number {
  const { json, pretty, details, oneline } = ctx.options;
  const options: ListTunTapsOptions = { ...args, ...netns(ctx) };
  return attempt(ctx, () => {
    const devices = listTunTaps(options);
    const holders = details ? attachedProcesses(devices) : undefined;
    ctx.out.write(
      json
        ? renderJson(devices, pretty, holders)
        : renderPlain(devices, { holders, color: ctx.color, oneline }),
    );
  });
}

const RUNNERS: {
  readonly [K in Command["kind"]]: (
    ctx: Context,
    args: Extract<Command, { kind: K }>["args"],
  ) => number;
} = {
  add: runAdd,
  del: runDel,
  show: runShow,
};

function runCommand(ctx: Context, words: readonly string[]): number {
  const command = parseCommand(words, RESOLVER);
  const run = RUNNERS[command.kind] as (ctx: Context, args: unknown) => number;
  return run(ctx, command.args);
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

function runBatch(ctx: Context, io: CliIo, file: string): number {
  let text: string;
  try {
    text = decoder.decode(file === "-" ? io.stdin() : io.readFile(file));
  } catch (error) {
    ctx.err(`Cannot open file "${file}" for reading: ${osErrorText(error)}\n`);
    return 1;
  }
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
      result = runCommand(ctx, words);
    }
    if (result !== 0) {
      ctx.err(`Command failed ${file}:${item.line}\n`);
      status = 1;
      if (!ctx.options.force) break;
    }
  }
  return status;
}

function checkNetnsOrExit(name: string): void {
  try {
    checkNetns(name);
  } catch (error) {
    if (!(error instanceof TunTapError)) throw error;
    throw new CliExit(`Cannot open network namespace "${name}": ${error.description}`, 255);
  }
}

/**
 * Runs the `tuntap` command line `args`.
 *
 * @param args The arguments, without the program name.
 * @param io The process's streams and environment.
 * @returns The exit status: 0, 1 (a command failed) or 255 (bad command line).
 */
export function run(args: readonly string[], io: CliIo): number {
  const out = new Output(io);
  const err = (text: string) => io.stderr(encoder.encode(text));
  try {
    const options = parseOptions(args, checkNetnsOrExit);
    const noColor = (io.env("NO_COLOR") ?? "") !== "";
    const color = useColor(options.color, options.json, io.isTerminal, noColor)
      ? ifnameColor(io.env("COLORFGBG"))
      : undefined;
    const ctx: Context = { options, out, err, color };
    if (options.batch !== undefined) return runBatch(ctx, io, options.batch);
    return runCommand(ctx, options.rest);
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
