/**
 * Plain `show` output, driven by a table of flag words in iproute2's order
 * (the JSON renderer, in `_render_json.ts`, uses the same table).
 *
 * @module
 */

import type { Holder, TunTapDevice } from "../types.ts";
import { RESET } from "./_colors.ts";

/**
 * Flag words in iproute2's order. `filter` stands for IFF_NOFILTER being
 * clear; it has the value of IFF_NO_PI, so it shows exactly when `pi` does.
 * `one_queue` and the NAPI bits are not reported over rtnetlink.
 */
const FLAG_WORDS: readonly (readonly [string, (device: TunTapDevice) => boolean])[] = [
  ["tun", (d) => d.mode === "tun"],
  ["tap", (d) => d.mode === "tap"],
  ["pi", (d) => d.pi],
  ["multi_queue", (d) => d.multiQueue],
  ["vnet_hdr", (d) => d.vnetHdr],
  ["persist", (d) => d.persist],
  ["filter", (d) => d.pi],
];

/** What `show` prints besides the devices. */
export interface ShowOptions {
  /** Holders by device name, with `-d`. */
  holders?: Map<string, Holder[]> | undefined;
  /** Escape sequence for names, with `-c`. */
  color?: string | undefined;
  /** With `-o`: the details line is joined by `\` instead of a newline. */
  oneline?: boolean;
}

/**
 * The flag words of a device, in iproute2's order.
 *
 * @param device The device.
 * @returns The words.
 */
export function flagWords(device: TunTapDevice): string[] {
  return FLAG_WORDS.filter(([, has]) => has(device)).map(([word]) => word);
}

/**
 * A holder as iproute2 prints it: `comm(pid)`.
 *
 * @param holder The holder.
 * @returns The text.
 */
export function holderText(holder: Holder): string {
  return `${holder.comm ?? "<NULL>"}(${holder.pid})`;
}

/**
 * A device's `show` line, without the newline: name, flag words, owner, group.
 *
 * @param device The device.
 * @param color The escape sequence for the name, if any.
 * @returns The line.
 */
export function deviceLine(device: TunTapDevice, color?: string): string {
  const name = `${device.name}:`;
  let out = color ? `${color}${name}${RESET}` : name;
  for (const word of flagWords(device)) out += ` ${word}`;
  if (device.owner !== undefined) out += ` user ${device.owner}`;
  if (device.group !== undefined) out += ` group ${device.group}`;
  return out;
}

/**
 * Plain `show` output, one line per device.
 *
 * @param devices The devices, in dump order.
 * @param options Details, colour, oneline.
 * @returns The text.
 */
export function renderPlain(devices: readonly TunTapDevice[], options: ShowOptions = {}): string {
  let out = "";
  for (const device of devices) {
    out += deviceLine(device, options.color);
    if (options.holders) {
      out += `${options.oneline ? "\\" : "\n"}\tAttached to processes:`;
      for (const holder of options.holders.get(device.name) ?? []) out += holderText(holder);
    }
    out += "\n";
  }
  return out;
}
