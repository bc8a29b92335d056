/**
 * The process's streams, and standard output buffered as stdio buffers it.
 *
 * @module
 */

import { encodeText } from "../names.ts";
import type { BatchInput } from "./_batch.ts";

/** The process's streams and environment, replaceable in tests. */
export interface CliIo {
  /** Writes bytes to standard output. */
  stdout(bytes: Uint8Array): void;
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
    this.#io.stdout(bytes);
  }
}
