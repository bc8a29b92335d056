/**
 * The process's streams, and standard output buffered as stdio buffers it.
 *
 * @module
 */

const encoder = new TextEncoder();

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

/** Standard output as stdio buffers it: by line on a terminal, else in 4 KiB blocks and at exit. */
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
    const bytes = encoder.encode(this.#pending);
    this.#pending = "";
    this.#io.stdout(bytes);
  }
}
