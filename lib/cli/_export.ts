/**
 * `tuntap export`: the TUN/TAP devices of a namespace as a config `apply`
 * reads, as systemd-networkd files, or as an `ip -batch` file.
 *
 * ```
 * tuntap [ -n NS ] export [ [ dev ] NAME… ] [ --format { yaml | json | networkd | ip } ]
 *                         [ --dir DIR ]
 * ```
 *
 * @module
 */

import { exportConfig } from "../config/apply.ts";
import { type ConfigFormat, formatConfig } from "../config/format.ts";
import type { Command } from "./_context.ts";
import { CliExit, type CommandSpec, eachWord, type Keyword } from "./_grammar.ts";
import { attempt, warn } from "./_io.ts";

const KEYWORDS: readonly Keyword[] = [
  { word: "dev", match: "exact", value: "tuntap" },
  { word: "--format", match: "exact", value: "text" },
  { word: "--dir", match: "exact", value: "file" },
];

/** The grammar of `export`. */
export const spec: CommandSpec = {
  extension: true,
  names: ["export"],
  usage: ["export [ [ dev ] NAME... ] [ --format { yaml | json | networkd | ip } ] [ --dir DIR ]"],
  summary:
    "the devices as a config apply reads (yaml, json), as systemd-networkd files, or as an ip -batch file",
  keywords: KEYWORDS,
  operand: "tuntap",
};

const FORMATS: readonly ConfigFormat[] = ["yaml", "json", "networkd", "ip"];

/** The `export` subcommand. */
export const command: Command = {
  spec,
  async run(ctx, words) {
    const names: string[] = [];
    let format: ConfigFormat = ctx.options.json ? "json" : "yaml";
    let dir: string | undefined;
    eachWord(words, (word, value) => {
      if (word === "--format") {
        const text = value();
        if (!(FORMATS as readonly string[]).includes(text)) {
          throw new CliExit(`Error: --format is one of ${FORMATS.join(", ")}, not "${text}".`, 1);
        }
        format = text as ConfigFormat;
      } else if (word === "--dir") dir = value();
      else names.push(word === "dev" ? value() : word);
    });
    let files: { name: string; text: string }[] = [];
    const status = attempt(ctx, () => {
      const config = exportConfig({
        ...(ctx.options.netns === undefined ? {} : { netns: ctx.options.netns }),
        ...(names.length === 0 ? {} : { names }),
      });
      const missing = names.filter((n) => !config.devices.some((d) => d.name === n));
      for (const name of missing) ctx.err(`Device "${name}" does not exist.\n`);
      const formatted = formatConfig(config, format);
      for (const line of formatted.omitted) warn(ctx, line);
      files = formatted.files;
      if (missing.length > 0) throw new CliExit("", 1);
    });
    if (status !== 0) return status;
    for (const file of files) {
      if (dir !== undefined) {
        const path = `${dir}/${
          file.name || `tuntap.${(format as ConfigFormat) === "ip" ? "batch" : format}`
        }`;
        await Deno.writeTextFile(path, file.text);
        ctx.err(`wrote ${path}\n`);
      } else {
        ctx.out.write(file.name === "" ? file.text : `# ${file.name}\n${file.text}\n`);
      }
    }
    return 0;
  },
};
