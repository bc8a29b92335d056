/**
 * `tuntap del`: `ip tuntap del`, and without `mode` a delete of whatever
 * the device is.
 *
 * @module
 */

import { deleteTunTap } from "../delete.ts";
import type { DeleteTunTapOptions } from "../types.ts";
import { attempt, type Command, netnsOption } from "./_context.ts";
import { parseDeviceArgs } from "./_device_args.ts";

/** The `del` subcommand. */
export const command: Command = {
  run(ctx, words) {
    const args = parseDeviceArgs(words, false);
    const [name] = args.names;
    if (name === undefined) {
      if (args.mode !== undefined) return 0; // ip deletes a scratch device here: nothing to do
      ctx.err("You failed to specify a tunnel mode\n");
      return 1;
    }
    const options: DeleteTunTapOptions = netnsOption(ctx);
    if (args.mode !== undefined) {
      options.mode = args.mode;
      options.multiQueue = args.multiQueue;
    } else if (args.multiQueue) {
      options.multiQueue = true;
    }
    return attempt(ctx, () => void deleteTunTap(name, options));
  },
};
