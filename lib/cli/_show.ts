/**
 * `tuntap show` (and `list`, `lst`): `ip tuntap show`, with `dev` and `mode`
 * filters.
 *
 * @module
 */

import { listTunTaps } from "../list.ts";
import type { TunTapMode } from "../types.ts";
import { attempt, type Command, interruptedOption } from "./_context.ts";
import { later } from "./_commands.ts";
import { matches } from "./_grammar.ts";
import { eachWord, parseMode } from "./_grammar.ts";
import { renderPlain } from "./_render.ts";

/** The filters of `show`. */
export interface ShowArgs {
  /** `dev NAME` or `name NAME`. */
  name?: string;
  /** `mode tun|tap`. */
  mode?: TunTapMode;
}

/**
 * Parses the filters of `show`: `dev NAME` (or `name NAME`) and
 * `mode tun|tap`. Other words are ignored, as iproute2 ignores all of them.
 *
 * @param words The words after the subcommand.
 * @returns The filters.
 */
export function parseShowArgs(words: readonly string[]): ShowArgs {
  const args: ShowArgs = {};
  eachWord(words, (word, value) => {
    if (matches(word, "mode")) args.mode = parseMode(value(), args.mode);
    else if (matches(word, "dev") || matches(word, "name")) args.name = value();
  });
  return args;
}

/** The `show` subcommand. */
export const command: Command = {
  async run(ctx, words) {
    const { json, pretty, details, oneline } = ctx.options;
    const args = parseShowArgs(words);
    // The /proc scan of -d, and the JSON writer, are loaded only when asked for.
    const holdersOf = details
      ? (await later<typeof import("../processes.ts")>("../processes.ts")).attachedProcesses
      : undefined;
    const renderJson = json
      ? (await later<typeof import("./_render_json.ts")>("./_render_json.ts")).renderJson
      : undefined;
    return attempt(ctx, () => {
      const devices = listTunTaps({ ...args, ...interruptedOption(ctx) });
      const holders = holdersOf?.(devices);
      ctx.out.write(
        renderJson
          ? renderJson(devices, pretty, holders)
          : renderPlain(devices, { holders, color: ctx.color, oneline }),
      );
    });
  },
};
