/**
 * `tuntap del`: `ip tuntap del`; without `mode`, a delete of whatever the
 * device is; with several names (a form ip rejects), a delete of all of
 * them, or of none if one names a link that is not a TUN/TAP device of the
 * given mode (names of no device are reported and skipped). Many deletions
 * at once, from one line or from consecutive batch lines, go to the kernel
 * as one batch.
 *
 * @module
 */

import {
  type DeleteRequest,
  deleteTunTap,
  type DeleteTunTapOptions,
  deleteTunTaps,
} from "../device/delete.ts";
import type { Command } from "./_context.ts";
import {
  type BulkRun,
  DEL_KEYWORDS,
  type LinePlan,
  linesRunner,
  NO_MODE,
  parseDeviceArgs,
  parseOne,
  runGrouped,
} from "./_device_args.ts";
import type { CommandSpec } from "./_grammar.ts";
import { attempt, warn } from "./_io.ts";

/** The grammar of `del`. */
export const spec: CommandSpec = {
  names: ["delete"],
  usage: ["del [ dev | name ] NAME [ NAME ... ] [ mode { tun | tap } [ multi_queue ] ]"],
  summary:
    "delete devices; without mode, whatever their mode. Several names go in one kernel batch: names of no device are skipped; if one names a link that is not a TUN/TAP device of the mode, none is deleted; a device in use fails alone, the others go",
  keywords: [...DEL_KEYWORDS, { word: "name", match: "prefix", value: "tuntap" }],
  operand: "tuntap",
};

/**
 * One `del` line: its requests (none with a mode and no name, where ip
 * would delete a scratch device), or the missing-mode message.
 */
function parse(words: readonly string[]): LinePlan<DeleteRequest> {
  const args = parseDeviceArgs(words, false, undefined, true);
  if (args.names.length === 0) return args.mode === undefined ? NO_MODE : [];
  const expected: Omit<DeleteRequest, "name"> = args.mode !== undefined
    ? { mode: args.mode, multiQueue: args.multiQueue }
    : args.multiQueue
    ? { multiQueue: true }
    : {};
  return args.names.map((name) => ({ name, ...expected }));
}

/**
 * A list of names is one line that runs whole: if a name that exists is not
 * a TUN/TAP device of the given mode, nothing is deleted (checkFirst); names
 * of no device are reported and skipped, so that the same line run again
 * after an interruption finishes the job.
 */
const bulk: BulkRun<DeleteRequest> = (ctx, requests, { stopOnError, whole }) =>
  deleteTunTaps(requests, {
    stopOnError,
    checkFirst: whole,
    onWarning: (message) => warn(ctx, message),
  }).map((o) => ({
    error: o.error,
    notice: o.vanished
      ? `Device "${o.name}" was deleted by another process meanwhile.`
      : whole && !o.deleted && o.error === undefined
      ? `Device "${o.name}" does not exist: skipped.`
      : undefined,
  }));

const isList = (requests: readonly DeleteRequest[]): boolean => requests.length > 1;

/** The `del` subcommand. */
export const command: Command = {
  spec,
  run(ctx, words) {
    const plan = parseOne(ctx, parse, words);
    if (plan === undefined) return 1;
    if (plan.length === 0) return 0;
    if (plan.length === 1) {
      const { name, ...expected } = plan[0] as DeleteRequest;
      const options: DeleteTunTapOptions = { ...expected };
      return attempt(ctx, () => void deleteTunTap(name, options));
    }
    const [result] = runGrouped(ctx, [plan], bulk, false, isList);
    if (result?.messages) ctx.err(result.messages);
    return result?.status ?? 0;
  },

  runLines: linesRunner(parse, bulk, isList),
};
