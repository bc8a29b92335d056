/**
 * `tuntap schema`: the JSON Schema of the config format `apply` reads (for
 * editors: `# yaml-language-server: $schema=…`).
 *
 * @module
 */

import schema from "../../config.schema.json" with { type: "json" };
import type { Command } from "./_context.ts";
import type { CommandSpec } from "./_grammar.ts";
import { garbage } from "./_grammar.ts";

/** The grammar of `schema`. */
export const spec: CommandSpec = {
  extension: true,
  names: ["schema"],
  usage: ["schema"],
  summary: "print the JSON Schema of the config format",
  keywords: [],
};

/** The `schema` subcommand. */
export const command: Command = {
  spec,
  run(ctx, words) {
    if (words.length > 0) throw garbage("schema", words[0] as string);
    ctx.out.write(`${JSON.stringify(schema, null, 2)}\n`);
    return 0;
  },
};
