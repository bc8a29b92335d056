/**
 * Reading batch files as `ip -batch` reads them: everything from the first
 * `#` of a line is dropped, a line ending in `\` continues on the next one,
 * words are split on space, TAB, CR and LF, and a word that starts with a
 * quote runs to the next same quote (no escapes).
 *
 * Input is read as it comes, a chunk at a time, and lines are handed out as
 * soon as they are complete: a batch on a pipe runs each command when its
 * line arrives, and memory does not grow with the number of lines. Lines
 * are bytes, decoded as names are (bytes that are not UTF-8 are kept), so a
 * name in a batch file reaches the kernel exactly as written. And running
 * them: loaded only when a batch runs.
 *
 * @module
 */

import { decodeText } from "../device/_checks.ts";
import { type CommandEntry, findCommand, SUBCOMMAND_WORDS } from "./_commands.ts";
import type { Context } from "./_context.ts";
import { CliExit, matches } from "./_grammar.ts";

/** Words per line, as iproute2's MAX_ARGS. */
const MAX_ARGS = 512;
/** Whether a code unit separates words, as iproute2's batch parser has it: " \t\r\n". */
function isSpace(unit: number): boolean {
  return unit === 0x20 || unit === 0x09 || unit === 0x0d || unit === 0x0a;
}
const NEWLINE = 0x0a;
const HASH = 0x23;
const BACKSLASH = 0x5c;
/** Bytes asked for per read. */
const CHUNK = 64 * 1024;

/** One command of a batch. */
export interface BatchCommand {
  /** Its last physical line number (1-based), as "Command failed" reports. */
  line: number;
  /** Its words. */
  args: string[];
}

/** What reading a batch yields: commands, or why reading stopped. */
export type BatchItem = BatchCommand | { line: number; stop: string };

/** Where a batch comes from: a file or standard input, read synchronously. */
export interface BatchInput {
  /**
   * Reads into `buffer`, waiting until something is there.
   *
   * @returns The number of bytes read, or `null` at the end.
   */
  read(buffer: Uint8Array): number | null;
  /** Releases the input. */
  close?(): void;
}

/**
 * Splits a command line into words.
 *
 * @param line The line, comments and continuations already handled.
 * @returns The words.
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && isSpace(line.charCodeAt(i))) i++;
    if (i >= line.length) break;
    if (words.length >= MAX_ARGS - 1) throw new CliExit("Too many arguments to command", 1);
    const first = line[i] as string;
    if (first === "'" || first === '"') {
      const end = line.indexOf(first, i + 1);
      if (end < 0) throw new CliExit("Unterminated quoted string", 1);
      words.push(line.slice(i + 1, end));
      i = end + 1;
    } else {
      let end = i;
      while (end < line.length && !isSpace(line.charCodeAt(end))) end++;
      words.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return words;
}

/**
 * Reads the commands of a batch one at a time. A quoting error is thrown
 * (as {@linkcode CliExit}) when its line is reached, after the commands
 * before it ran.
 */
export class BatchReader {
  readonly #input: BatchInput;
  #buffer = new Uint8Array(CHUNK);
  #start = 0;
  #end = 0;
  /** Buffered bytes from `#start` to here hold no newline. */
  #scanned = 0;
  #eof = false;
  /** Physical lines consumed so far. */
  #line = 0;
  /** Pieces of a command continued over several lines, waiting for its last line. */
  #parts: Uint8Array[] = [];

  /**
   * Creates a reader.
   *
   * @param input Where the batch comes from.
   */
  constructor(input: BatchInput) {
    this.#input = input;
  }

  /**
   * The next physical line (with its newline, if any) from what is
   * buffered, or undefined. It is a view of the buffer, valid until the
   * next read: a copy per line would leave memory outside V8's heap behind.
   */
  #takeLine(): Uint8Array | undefined {
    const from = Math.max(this.#start, this.#scanned);
    const at = this.#buffer.indexOf(NEWLINE, from);
    const end = at < 0 || at >= this.#end ? -1 : at + 1;
    if (end < 0) {
      this.#scanned = this.#end;
      if (!this.#eof || this.#start === this.#end) return undefined;
    }
    const line = this.#buffer.subarray(this.#start, end < 0 ? this.#end : end);
    this.#start = end < 0 ? this.#end : end;
    return line;
  }

  /** Reads more input; false at the end. */
  #fill(): boolean {
    if (this.#eof) return false;
    if (this.#start > 0) {
      this.#buffer.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#scanned = Math.max(0, this.#scanned - this.#start);
      this.#start = 0;
    }
    if (this.#end === this.#buffer.byteLength) {
      const bigger = new Uint8Array(this.#buffer.byteLength * 2);
      bigger.set(this.#buffer);
      this.#buffer = bigger;
    }
    const n = this.#input.read(this.#buffer.subarray(this.#end));
    if (n === null || n === 0) this.#eof = true;
    else this.#end += n;
    return true;
  }

  /**
   * The next command made of buffered lines only, or `undefined` when it
   * needs input that has not arrived (or there is none left).
   */
  #parse(): BatchItem | undefined {
    for (;;) {
      const physical = this.#takeLine();
      if (physical === undefined) {
        if (this.#eof && this.#parts.length > 0) {
          this.#parts = [];
          return { line: this.#line, stop: "Missing continuation line" };
        }
        return undefined;
      }
      this.#line++;
      const hash = physical.indexOf(HASH);
      const line = hash < 0 ? physical : physical.subarray(0, hash);
      const n = line.byteLength;
      if (n >= 2 && line[n - 1] === NEWLINE && line[n - 2] === BACKSLASH) {
        this.#parts.push(line.slice(0, n - 2)); // kept past the next read
        continue;
      }
      let text: string;
      if (this.#parts.length === 0) text = decodeText(line);
      else {
        this.#parts.push(line);
        text = decodeText(join(this.#parts));
        this.#parts = [];
      }
      const args = splitWords(text);
      if (args.length > 0) return { line: this.#line, args };
    }
  }

  /** A command parsed ahead by {@linkcode ready}, or the error parsing it threw. */
  #ahead: { item: BatchItem } | { error: unknown } | undefined;

  /**
   * Whether {@linkcode next} can answer without waiting for more input: the
   * next command is complete in what has been read, or the input ended.
   *
   * @returns Whether it is ready.
   */
  ready(): boolean {
    if (this.#ahead !== undefined) return true;
    try {
      const item = this.#parse();
      if (item !== undefined) this.#ahead = { item };
    } catch (error) {
      this.#ahead = { error };
    }
    return this.#ahead !== undefined || (this.#eof && this.#start === this.#end);
  }

  /**
   * The next command if it is complete in what has been read, without
   * waiting for input; `undefined` otherwise, and at the end, and when
   * reading it fails (the failure comes with {@linkcode next}).
   *
   * @returns The command, or why reading stopped.
   */
  peek(): BatchItem | undefined {
    if (!this.ready()) return undefined;
    const ahead = this.#ahead;
    return ahead !== undefined && "item" in ahead ? ahead.item : undefined;
  }

  /**
   * The next command, reading input until it is complete.
   *
   * @returns The command, why reading stopped, or `undefined` at the end.
   */
  next(): BatchItem | undefined {
    for (;;) {
      const ahead = this.#ahead;
      this.#ahead = undefined;
      if (ahead !== undefined && "error" in ahead) throw ahead.error;
      const item = ahead?.item ?? this.#parse();
      if (item !== undefined) return item;
      if (!this.#fill()) return undefined;
    }
  }
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.byteLength;
  }
  return all;
}

/**
 * A batch input over bytes in memory.
 *
 * @param bytes The whole batch.
 * @returns The input.
 */
export function memoryInput(bytes: Uint8Array): BatchInput {
  let at = 0;
  return {
    read(buffer) {
      if (at >= bytes.byteLength) return null;
      const n = Math.min(buffer.byteLength, bytes.byteLength - at);
      buffer.set(bytes.subarray(at, at + n));
      at += n;
      return n;
    },
  };
}

/**
 * Reads every command of a batch held in memory.
 *
 * @param text The whole batch.
 * @returns The commands; blank lines are skipped.
 */
export function* readBatch(text: string | Uint8Array): Generator<BatchItem> {
  const reader = new BatchReader(
    memoryInput(typeof text === "string" ? new TextEncoder().encode(text) : text),
  );
  for (let item = reader.next(); item !== undefined; item = reader.next()) {
    yield item;
    if ("stop" in item) return;
  }
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

/** Most consecutive lines of one subcommand run together. */
const GROUP_LINES = 256;

/**
 * Runs the commands of a batch as they are read. Consecutive lines of a
 * subcommand that can run lines together (add, del) do so, as far as they
 * have already arrived: a line that is still on its way is not waited for.
 *
 * @param ctx The context.
 * @param reader The batch.
 * @param file The file's name, for "Command failed FILE:LINE".
 * @returns 0, or 1 when a line failed.
 * @throws {CliExit} When a line cannot be parsed (which ends even a `-force` batch).
 */
export async function runBatchLines(
  ctx: Context,
  reader: BatchReader,
  file: string,
): Promise<number> {
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
    const command = await entry.load();
    if (command.runLines === undefined) {
      if (!done(item.line, await command.run(ctx, words.slice(1)))) break;
      continue;
    }
    const lines = [{ line: item.line, words: words.slice(1) }];
    while (lines.length < GROUP_LINES) {
      const peek = reader.peek();
      if (peek === undefined || "stop" in peek) break;
      const more = batchWords(peek.args);
      if (more === undefined || !sameCommand(more[0], entry)) break;
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

/** Whether a word names `command` (an unknown word names none). */
function sameCommand(word: string | undefined, command: CommandEntry): boolean {
  try {
    return findCommand(word) === command;
  } catch {
    return false;
  }
}
