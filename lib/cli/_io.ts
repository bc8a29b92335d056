/**
 * What the CLI writes: the process's streams as the CLI sees them, standard
 * output buffered into large writes, text encoded with names' exact bytes,
 * and a failed operation's report on standard error (iproute2's first line,
 * then the hint).
 *
 * @module
 */

import { encodeText } from "../device/_checks.ts";
import { TunTapError } from "../errors.ts";
import type { BatchInput } from "./_batch.ts";
import type { Context } from "./_context.ts";
import { CommandFailed } from "./_grammar.ts";

/** The process's streams and environment, replaceable in tests. */
export interface CliIo {
  /**
   * Writes bytes to standard output; returns `false` once the reader has
   * gone away (a closed pipe: the output ends there, quietly).
   */
  stdout(bytes: Uint8Array): boolean | void;
  /** Writes bytes to standard error. */
  stderr(bytes: Uint8Array): void;
  /**
   * Opens the input of `-batch FILE` (`-` is standard input); throws the
   * runtime's error when it cannot.
   */
  openInput(path: string): BatchInput;
  /** An environment variable, or `undefined`. */
  env(name: string): string | undefined;
  /** Whether standard output is a terminal. */
  isTerminal: boolean;
}

const encoder = new TextEncoder();
const SURROGATE = /[\uD800-\uDFFF]/;
let scratch = new Uint8Array(4096);

/**
 * Encodes text as names are encoded, into a buffer reused from call to
 * call: the bytes are valid until the next call. A batch prints a line or
 * two per command; a new array each time would leave memory behind that
 * only a full collection returns.
 *
 * @param text The text.
 * @returns Its bytes.
 */
export function encodeOutput(text: string): Uint8Array {
  if (SURROGATE.test(text)) return encodeText(text);
  for (;;) {
    const { read, written } = encoder.encodeInto(text, scratch);
    if (read === text.length) return scratch.subarray(0, written);
    scratch = new Uint8Array(scratch.byteLength * 2 + text.length * 3);
  }
}

/**
 * Standard output as stdio buffers it: by line on a terminal, else in 4 KiB
 * blocks and at exit. Text is written as names are encoded: the bytes of a
 * name that is not UTF-8 come out as they are in the kernel.
 */
export class Output {
  #pending = "";
  readonly #io: CliIo;

  /**
   * Creates the buffer.
   *
   * @param io Where the bytes go.
   */
  constructor(io: CliIo) {
    this.#io = io;
  }

  /**
   * Adds text.
   *
   * @param text The text.
   */
  write(text: string): void {
    this.#pending += text;
    if (this.#io.isTerminal || this.#pending.length >= 4096) this.flush();
  }

  /** Writes out what is pending. */
  flush(): void {
    if (this.#pending === "") return;
    const bytes = encodeOutput(this.#pending);
    this.#pending = "";
    if (this.#io.stdout(bytes) === false) this.#closed = true;
  }

  /** Whether the reader of standard output has gone away (a long-running command then ends). */
  get closed(): boolean {
    return this.#closed;
  }

  #closed = false;
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
function firstLine(error: TunTapError): string {
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

/** Options of {@linkcode attempt}. */
export interface AttemptOptions {
  /**
   * The status of a refusal by the kernel of an rtnetlink request (`ip link`
   * and `ip addr` exit with 2; `ip tuntap` with 1, the default).
   */
  kernelStatus?: number;
}

/**
 * Runs `work`; a {@linkcode TunTapError} becomes status 1 (or the kernel's
 * status, for a refused rtnetlink request) with its report, a
 * {@linkcode CommandFailed} its status and its line.
 *
 * @param ctx The context.
 * @param work What to do.
 * @param options The status of a refusal by the kernel.
 * @returns 0, or the failure's status.
 */
export function attempt(ctx: Context, work: () => void, options: AttemptOptions = {}): number {
  try {
    work();
    return 0;
  } catch (error) {
    if (error instanceof CommandFailed) {
      ctx.err(`${error.message}\n`);
      return error.status;
    }
    if (!(error instanceof TunTapError)) throw error;
    report(ctx, error);
    const byKernel = error.detail === undefined && error.syscall.startsWith("RTM_");
    return byKernel ? options.kernelStatus ?? 1 : 1;
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
const DUMP_INTERRUPTED = "Dump was interrupted and may be inconsistent.";

/**
 * The `onInterrupted` option for list calls: iproute2's warning on stderr.
 *
 * @param ctx The context.
 * @returns The option.
 */
export function interruptedOption(ctx: Context): { onInterrupted: () => void } {
  return { onInterrupted: () => ctx.err(`${DUMP_INTERRUPTED}\n`) };
}
