/**
 * `tuntap apply`: make the host match a config file, printing the plan and
 * then what was done.
 *
 * ```
 * tuntap [ -n NS ] apply { FILE | - } [ --dry-run ] [ --prune ] [ --force ]
 *                        [ --detailed-exitcode ] [ -j | --json ] [ --wait SECONDS ]
 * ```
 *
 * @module
 */

import { type ActionResult, applyConfig, type ApplyReport } from "../config/apply.ts";
import { ConfigError, formatProblem, parseConfig } from "../config/parse.ts";
import type { ActionKind, PlanAction } from "../config/types.ts";
import { TunTapError } from "../errors.ts";
import type { Command, Context } from "./_context.ts";
import { CliExit, type CommandSpec, eachWord, type Keyword } from "./_grammar.ts";
import { report } from "./_io.ts";

const KEYWORDS: readonly Keyword[] = [
  { word: "--dry-run", match: "exact" },
  { word: "--prune", match: "exact" },
  { word: "--force", match: "exact" },
  { word: "--detailed-exitcode", match: "exact" },
  { word: "--json", match: "exact" },
  { word: "-j", match: "exact" },
  { word: "--wait", match: "exact", value: "number" },
];

/** The grammar of `apply`. */
export const spec: CommandSpec = {
  extension: true,
  names: ["apply"],
  usage: [
    "apply { FILE | - } [ --dry-run ] [ --prune ] [ --force ] [ --detailed-exitcode ]",
    "      [ -j | --json ] [ --wait SECONDS ]",
  ],
  summary:
    "make the devices match a YAML/JSON config: plan, then act; exit 0, or with --detailed-exitcode 0 nothing to do, 2 changed, 1 error",
  keywords: KEYWORDS,
  operand: "file",
};

interface ApplyArgs {
  file?: string;
  dryRun: boolean;
  prune: boolean;
  force: boolean;
  detailed: boolean;
  json: boolean;
  wait: number;
}

/** The flag words and the field each sets. */
const FLAGS: Readonly<Record<string, keyof ApplyArgs>> = {
  "--dry-run": "dryRun",
  "--prune": "prune",
  "--force": "force",
  "--detailed-exitcode": "detailed",
  "--json": "json",
  "-j": "json",
};

function parseArgs(words: readonly string[], json: boolean): ApplyArgs {
  const args: ApplyArgs = {
    dryRun: false,
    prune: false,
    force: false,
    detailed: false,
    json,
    wait: 0,
  };
  eachWord(words, (word, value) => {
    const flag = FLAGS[word];
    if (flag !== undefined) {
      (args as unknown as Record<string, boolean>)[flag] = true;
      return;
    }
    if (word === "--wait") {
      const text = value();
      if (!/^\d+(\.\d+)?$/.test(text)) {
        throw new CliExit(`Error: --wait takes seconds, not "${text}".`, 1);
      }
      args.wait = Number(text);
      return;
    }
    if (word.startsWith("--") || args.file !== undefined) {
      throw new CliExit(`Error: unknown argument "${word}" of apply (see tuntap help).`, 1);
    }
    args.file = word;
  });
  return args;
}

async function readSource(file: string): Promise<string> {
  if (file !== "-") return await Deno.readTextFile(file);
  return await new Response(Deno.stdin.readable).text();
}

/** The verb of each kind, planned and done. */
const VERBS: Readonly<Record<ActionKind, readonly [string, string]>> = {
  create: ["create", "created"],
  change: ["change", "changed"],
  recreate: ["re-create", "re-created"],
  move: ["move", "moved"],
  delete: ["delete", "deleted"],
};

function where(action: PlanAction): string {
  return action.netns === undefined ? action.name : `${action.name} (netns ${action.netns})`;
}

function planLine(action: PlanAction): string {
  const sets = action.kind === "create" || action.kind === "recreate" || action.kind === "move"
    ? action.changes.map(({ key, to }) =>
      key === "addresses"
        ? `addresses ${(to as string[]).map((a) => `+${a}`).join(" ")}`
        : `${key} ${to === null ? "none" : String(to)}`
    ).join(", ")
    : "";
  return `  ${VERBS[action.kind][0]} ${where(action)}: ${action.reason}${
    sets === "" ? "" : `; sets ${sets}`
  }\n`;
}

function resultLine(result: ActionResult): string {
  const { action, outcome, error } = result;
  if (outcome === "done") return `  ${VERBS[action.kind][1]} ${where(action)}\n`;
  if (outcome === "planned") return `  would ${VERBS[action.kind][0]} ${where(action)}\n`;
  return `  ${outcome === "refused" ? "refused" : "FAILED"}: ${VERBS[action.kind][0]} ${
    where(action)
  }: ${error}\n`;
}

function summary(report: ApplyReport): string {
  const count = (kind: ActionKind) =>
    report.results.filter((r) => r.action.kind === kind && r.outcome === "done").length;
  const failed = report.results.filter((r) => r.outcome === "failed" || r.outcome === "refused");
  if (report.dryRun) {
    return `Dry run: ${report.results.length - failed.length} to do, ${report.unchanged} unchanged${
      failed.length ? `, ${failed.length} refused` : ""
    }.\n`;
  }
  return `Summary: created ${count("create")}, changed ${count("change")}, re-created ${
    count("recreate")
  }, moved ${count("move")}, deleted ${count("delete")}, unchanged ${report.unchanged}${
    failed.length ? `, failed ${failed.length}` : ""
  }.\n`;
}

function renderJson(report: ApplyReport): string {
  return `${
    JSON.stringify({
      changed: report.changed,
      dry_run: report.dryRun,
      actions: report.results.map(({ action, outcome, error }) => ({
        action: action.kind,
        name: action.name,
        netns: action.netns ?? null,
        reason: action.reason,
        changes: action.changes,
        outcome,
        error: error ?? null,
      })),
      unchanged: report.unchanged,
      errors: report.results.flatMap((r) => r.error === undefined ? [] : [r.error]),
    })
  }\n`;
}

/** The status an apply ends with. */
function status(report: ApplyReport, detailed: boolean): number {
  if (report.failed) return 1;
  return detailed && report.changed ? 2 : 0;
}

async function run(ctx: Context, words: readonly string[]): Promise<number> {
  const args = parseArgs(words, ctx.options.json);
  if (args.file === undefined) throw new CliExit("Error: apply needs a FILE (or - for stdin).", 1);
  const errorJson = (errors: string[]) =>
    args.json
      ? ctx.out.write(`${JSON.stringify({ changed: false, actions: [], unchanged: 0, errors })}\n`)
      : undefined;
  let text: string;
  try {
    text = await readSource(args.file);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    const message = `Cannot read ${args.file}: ${(error as Error).message}`;
    ctx.err(`${message}\n`);
    errorJson([message]);
    return 1;
  }
  try {
    const config = parseConfig(text, { file: args.file });
    const results = await applyConfig(config, {
      dryRun: args.dryRun,
      prune: args.prune,
      force: args.force,
      wait: args.wait,
      ...(ctx.options.netns === undefined ? {} : { netns: ctx.options.netns }),
      ...(args.json ? {} : {
        onPlan: (plan) => {
          ctx.out.write(
            plan.actions.length === 0
              ? "Plan: nothing to do.\n"
              : `Plan:\n${plan.actions.map(planLine).join("")}${args.dryRun ? "" : "Applied:\n"}`,
          );
        },
        onAction: (result) => {
          if (!args.dryRun || result.outcome === "refused") ctx.out.write(resultLine(result));
        },
      }),
    });
    ctx.out.write(args.json ? renderJson(results) : summary(results));
    return status(results, args.detailed);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) ctx.err(`${formatProblem(problem)}\n`);
      errorJson(error.problems.map(formatProblem));
      return 1;
    }
    if (error instanceof TunTapError) {
      report(ctx, error);
      errorJson([error.message]);
      return 1;
    }
    throw error;
  }
}

/** The `apply` subcommand. */
export const command: Command = { spec, run };
