/**
 * `tuntap add`: `ip tuntap add`.
 *
 * @module
 */

import { createTunTap } from "../create.ts";
import type { CreateTunTapOptions } from "../types.ts";
import { attempt, type Command, netnsOption } from "./_context.ts";
import { parseDeviceArgs } from "./_device_args.ts";

/** The `add` subcommand. */
export const command: Command = {
  run(ctx, words) {
    const args = parseDeviceArgs(words, true);
    if (args.mode === undefined) {
      ctx.err("You failed to specify a tunnel mode\n");
      return 1;
    }
    const options: CreateTunTapOptions = {
      mode: args.mode,
      pi: args.pi,
      vnetHdr: args.vnetHdr,
      multiQueue: args.multiQueue,
      oneQueue: args.oneQueue,
      ...netnsOption(ctx),
    };
    const [name] = args.names;
    if (name !== undefined) options.name = name;
    if (args.owner !== undefined) options.owner = args.owner;
    if (args.group !== undefined) options.group = args.group;
    return attempt(ctx, () => void createTunTap(options));
  },
};
