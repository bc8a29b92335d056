/** Runs the CLI in-process with captured streams. */

import { main } from "../cli.ts";
import { memoryInput } from "../lib/cli/_batch.ts";

/** What a run printed and returned. */
export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Streams and environment of a captured run. */
export interface CliSetup {
  stdin?: string | Uint8Array;
  files?: Record<string, string | Uint8Array>;
  env?: Record<string, string>;
  terminal?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Runs `tuntap ARGS` in this process and captures what it prints. */
export async function runCli(args: string[], setup: CliSetup = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const status = await main(args, {
    stdout: (b) => void (stdout += decoder.decode(b)),
    stderr: (b) => void (stderr += decoder.decode(b)),
    openInput: (path) => {
      const text = path === "-" ? setup.stdin ?? "" : setup.files?.[path];
      if (text === undefined) {
        throw new Deno.errors.NotFound(`No such file or directory (os error 2): open '${path}'`);
      }
      return memoryInput(typeof text === "string" ? encoder.encode(text) : text);
    },
    env: (name) => setup.env?.[name],
    isTerminal: setup.terminal ?? false,
  });
  return { status, stdout, stderr };
}
