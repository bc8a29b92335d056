/**
 * `tuntap show` (and `list`, `lst`): `ip tuntap show`, with `dev` and `mode`
 * filters; its plain output, with the flag words of the device table (the
 * JSON renderer uses the same words); and colour: iproute2's
 * interface-name colour for `-c`.
 *
 * @module
 */

import { flagWords, holderText, isIdle } from "../device/_device.ts";
import { mapTunTaps } from "../device/_map.ts";
import { listTunTaps } from "../device/list.ts";
import type { Holder, TunTapDevice, TunTapMode } from "../device/types.ts";
import type { Command } from "./_context.ts";
import { type CommandSpec, eachWord, findKeyword, type Keyword, parseMode } from "./_grammar.ts";
import { attempt, interruptedOption } from "./_io.ts";
import type { PartsFormat } from "./_json.ts";

/** The filters of `show`. */
export interface ShowArgs {
  /** `dev NAME` or `name NAME`. */
  name?: string;
  /** `mode tun|tap`. */
  mode?: TunTapMode;
}

interface ShowKeyword extends Keyword {
  readonly apply: (args: ShowArgs, value: string) => void;
}

const KEYWORDS: readonly ShowKeyword[] = [
  { word: "mode", match: "prefix", value: "mode", apply: (a, v) => a.mode = parseMode(v, a.mode) },
  { word: "dev", match: "prefix", value: "tuntap", apply: (a, v) => a.name = v },
  { word: "name", match: "prefix", value: "tuntap", apply: (a, v) => a.name = v },
];

/** The grammar of `show`. */
export const spec: CommandSpec = {
  names: ["show", "lst", "list"],
  usage: ["show [ dev NAME ] [ mode { tun | tap } ]"],
  summary: "list devices (also: list, lst)",
  keywords: KEYWORDS,
};

/**
 * Parses the filters of `show`: `dev NAME` (or `name NAME`) and
 * `mode tun|tap`. Other words are ignored, as iproute2 ignores all of them.
 *
 * @param words The words after the subcommand.
 * @returns The filters.
 */
export function parseShowArgs(words: readonly string[]): ShowArgs {
  const args: ShowArgs = {};
  eachWord(words, (word, value) => findKeyword(KEYWORDS, word)?.apply(args, value()));
  return args;
}

/** The `show` subcommand. */
export const command: Command = {
  spec,
  async run(ctx, words) {
    const { json, pretty, details, oneline } = ctx.options;
    const args = parseShowArgs(words);
    // The /proc scan of -d, and the JSON writer, are loaded only when asked for.
    const holdersOf = details
      ? (await import("../device/processes.ts")).attachedProcesses
      : undefined;
    const jsonOutput = json ? await import("./_json.ts") : undefined;
    return attempt(ctx, () => {
      const options = { ...args, ...interruptedOption(ctx) };
      if (args.name === undefined) {
        // Each device becomes its text as the dump is read: only the texts are
        // kept, and the devices that may have holders (-d of a device in use).
        const format = jsonOutput?.showJsonFormat(pretty, details) ??
          plainFormat(ctx.color, details, oneline);
        const parts: (string | TunTapDevice)[] = mapTunTaps(
          options,
          (device) => holdersOf && !isIdle(device) ? device : format.device(device, NO_HOLDERS),
        );
        const busy = parts.filter((part) => typeof part !== "string");
        const holders = busy.length > 0 ? holdersOf?.(busy) : undefined;
        ctx.out.write(
          format.document(
            parts.map((part) =>
              typeof part === "string" ? part : format.device(part, holders?.get(part.name) ?? [])
            ),
          ),
        );
        return;
      }
      const devices = listTunTaps(options);
      const holders = holdersOf?.(devices);
      ctx.out.write(
        jsonOutput
          ? jsonOutput.renderJson(devices, pretty, holders)
          : renderPlain(devices, { holders, color: ctx.color, oneline }),
      );
    });
  },
};

/** The flag words as `show` writes them (" tun persist"), by the shared array of words. */
const FLAG_TEXT = new Map<readonly string[], string>();

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
 * A device's `show` line, without the newline: name, flag words, owner, group.
 *
 * @param device The device.
 * @param color The escape sequence for the name, if any.
 * @returns The line.
 */
export function deviceLine(device: TunTapDevice, color?: string): string {
  const name = `${device.name}:`;
  let out = color ? `${color}${name}${RESET}` : name;
  const words = flagWords(device);
  let text = FLAG_TEXT.get(words);
  if (text === undefined) {
    text = words.map((word) => ` ${word}`).join("");
    FLAG_TEXT.set(words, text);
  }
  out += text;
  if (device.owner !== undefined) out += ` user ${device.owner}`;
  if (device.group !== undefined) out += ` group ${device.group}`;
  return out;
}

/**
 * Plain `show` output made one device at a time.
 *
 * @param color The escape sequence for names, if any.
 * @param details Whether each device has its holders (`-d`).
 * @param oneline Whether the holders' line is joined by `\` (`-o`).
 * @returns The renderer.
 */
export function plainFormat(color?: string, details = false, oneline = false): PartsFormat {
  const attached = `${oneline ? "\\" : "\n"}\tAttached to processes:`;
  return {
    device(device, holders) {
      if (!details) return `${deviceLine(device, color)}\n`;
      let out = `${deviceLine(device, color)}${attached}`;
      for (const holder of holders) out += holderText(holder);
      return `${out}\n`;
    },
    document: (parts) => parts.join(""),
  };
}

/** The holders of an idle device. */
const NO_HOLDERS: readonly Holder[] = Object.freeze([]);

/**
 * Plain `show` output, one line per device.
 *
 * @param devices The devices, in dump order.
 * @param options Details, colour, oneline.
 * @returns The text.
 */
export function renderPlain(devices: readonly TunTapDevice[], options: ShowOptions = {}): string {
  const { holders } = options;
  const format = plainFormat(options.color, holders !== undefined, options.oneline);
  return format.document(devices.map((d) => format.device(d, holders?.get(d.name) ?? [])));
}

const BOLD_CYAN = "\x1b[1;36m";
const CYAN = "\x1b[36m";
/** Resets all attributes. */
export const RESET = "\x1b[0m";

/**
 * The escape sequence iproute2 uses for interface names: bold cyan on a dark
 * background, cyan on a light one. The background is dark unless the last
 * `;`-separated field of COLORFGBG is something other than a single digit
 * 0-6 or 8 (newest iproute2 also assumes dark when COLORFGBG is unset).
 *
 * @param colorfgbg The COLORFGBG environment variable.
 * @returns The escape sequence.
 */
export function ifnameColor(colorfgbg: string | undefined): string {
  const at = colorfgbg?.lastIndexOf(";") ?? -1;
  if (colorfgbg === undefined || at < 0) return BOLD_CYAN;
  const last = colorfgbg.slice(at + 1);
  return /^[0-68]$/.test(last) ? BOLD_CYAN : CYAN;
}

/** How `-c` was given: `-c`/`-c=always`, `-c=auto`, `-c=never`. */
export type ColorChoice = "always" | "auto" | "never";

/**
 * Whether device names get colour.
 *
 * @param choice The `-c` option, if given.
 * @param json Whether output is JSON (never coloured).
 * @param terminal Whether standard output is a terminal.
 * @param noColor Whether NO_COLOR is set and not empty.
 * @returns Whether to colour.
 */
export function useColor(
  choice: ColorChoice | undefined,
  json: boolean,
  terminal: boolean,
  noColor: boolean,
): boolean {
  if (json || choice === undefined || choice === "never") return false;
  return choice === "always" || (terminal && !noColor);
}
