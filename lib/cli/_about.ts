/**
 * What the CLI says about itself, shared by `--help` and the manual page:
 * its prose, and how its subcommands and options are spelled there. No
 * subcommand table here: the manual is a subcommand that the table loads.
 *
 * @module
 */

import type { CommandSpec } from "./_grammar.ts";
import { COLOR_HELP, OPTIONS } from "./_options.ts";

/** What the CLI is, as `--help` words it (the manual refills the lines). */
export const DESCRIPTION: readonly string[] = [
  "Create, delete, list and configure persistent TUN/TAP devices. The commands",
  'of "ip tuntap" keep its command lines, output and exit codes, so scripts',
  "written for iproute2 work unchanged.",
];

/** What USER and GROUP are. */
export const USER_GROUP: string = "USER and GROUP are a name or a number; -1 means none.";

/** The exit statuses, as `--help` words them. */
export const EXIT_STATUS: readonly string[] = [
  "Exit status: 0 success, 1 the kernel refused, 255 a command-line error",
  '(set and addr: 2 when the kernel refused, as "ip link" and "ip addr").',
];

/** Command lines shown as examples. */
export const EXAMPLES: readonly string[] = [
  "tuntap add dev tap0 mode tap user 1000 vnet_hdr",
  "tuntap addr add 10.1.0.1/24 dev tun0 && tuntap set dev tun0 up",
  "tuntap set dev tap0 master br0 up",
  "tuntap -j -p info tun0",
  "tuntap del tap0",
];

/**
 * The words a subcommand is shown as: its usage's first word, then its other names.
 *
 * @param spec The subcommand.
 * @returns The words.
 */
export function shownNames(spec: CommandSpec): string[] {
  const first = spec.usage[0]?.split(" ")[0] ?? spec.names[0] as string;
  return [first, ...spec.names.slice(1)];
}

/**
 * The options `--help` lists, as it spells them, with what each does.
 *
 * @returns The spellings and texts, in the order listed.
 */
export function optionHelp(): (readonly [string, string])[] {
  const options = OPTIONS.flatMap((o) => (o.help ? [o.help] : []));
  options.splice(options.length - 1, 0, COLOR_HELP);
  return options;
}
