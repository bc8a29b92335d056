/**
 * `tuntap doctor`: what this machine allows, and why. One finding per line
 * (`ok`, `FAIL`, `warn`, `skip`), a hint under each problem, then whether
 * TUN/TAP devices can be created here; or one JSON object with `-j`.
 * Creates nothing. Exit status 0 when devices can be created, 1 when not.
 *
 * ```
 * tuntap [ -j [ -p ] ] [ -n NS ] doctor [ -j | --json ]
 * ```
 *
 * @module
 */

import { type CheckStatus, diagnose, type Diagnosis } from "../diagnose/_doctor.ts";
import type { Command, Context } from "./_context.ts";
import { type CommandSpec, garbage, type Keyword } from "./_grammar.ts";
import { attempt } from "./_io.ts";

const KEYWORDS: readonly Keyword[] = [
  { word: "-j", match: "exact" },
  { word: "--json", match: "exact" },
];

/** The grammar of `doctor`. */
export const spec: CommandSpec = {
  extension: true,
  names: ["doctor"],
  usage: ["doctor [ -j | --json ]"],
  summary:
    "what this machine allows and why: kernel, tun driver and features, /dev/net/tun, CAP_NET_ADMIN, user and network namespaces; exit 0 when devices can be created here, 1 when not",
  keywords: KEYWORDS,
};

/** The version of the JSON object of `doctor`, in README's "doctor". */
export const DOCTOR_SCHEMA_VERSION = 1;

/** The mark of each outcome, as wide as the column. */
const MARKS: Readonly<Record<CheckStatus, string>> = {
  ok: "ok    ",
  fail: "FAIL  ",
  warn: "warn  ",
  skip: "skip  ",
};
const HINT_INDENT = "      hint: ";

/**
 * Reads the words after `doctor`.
 *
 * @param words The words.
 * @param json Whether `-j` was given before the subcommand.
 * @returns Whether to print JSON.
 */
function parseArgs(words: readonly string[], json: boolean): boolean {
  for (const word of words) {
    if (!KEYWORDS.some((k) => k.word === word)) throw garbage("doctor", word);
    json = true;
  }
  return json;
}

/**
 * The findings as text: one line each, a hint line under a problem, and the
 * verdict.
 *
 * @param diagnosis The findings.
 * @returns The text.
 */
export function renderDoctorText(diagnosis: Diagnosis): string {
  let out = "";
  for (const check of diagnosis.checks) {
    out += `${MARKS[check.status]}${check.name}: ${check.detail}\n`;
    if (check.hint !== undefined && !check.ok) out += `${HINT_INDENT}${check.hint}\n`;
  }
  const failed = diagnosis.checks.filter((c) => c.status === "fail").map((c) => c.name);
  return out +
    (diagnosis.canCreate
      ? "TUN/TAP devices can be created here.\n"
      : `TUN/TAP devices cannot be created here (${failed.join(", ")}).\n`);
}

/**
 * The findings as one JSON object; every key is always present (`null`
 * when there is no value).
 *
 * @param diagnosis The findings.
 * @param pretty Whether to indent as `-pretty` does.
 * @returns The text.
 */
export function renderDoctorJson(diagnosis: Diagnosis, pretty: boolean): string {
  const object = {
    schema: DOCTOR_SCHEMA_VERSION,
    "can_create": diagnosis.canCreate,
    kernel: diagnosis.kernel ?? null,
    features: diagnosis.features ?? null,
    uid: diagnosis.uid ?? null,
    euid: diagnosis.euid ?? null,
    "cap_net_admin": diagnosis.capNetAdmin,
    netns: diagnosis.netns,
    "netns_inode": diagnosis.netnsInode,
    checks: diagnosis.checks.map((c) => ({
      name: c.name,
      ok: c.ok,
      status: c.status,
      required: c.required,
      detail: c.detail,
      hint: c.ok ? null : c.hint ?? null,
    })),
  };
  return `${JSON.stringify(object, null, pretty ? 4 : undefined)}\n`;
}

function run(ctx: Context, words: readonly string[]): number {
  const json = parseArgs(words, ctx.options.json);
  let status = 0;
  const failed = attempt(ctx, () => {
    const diagnosis = diagnose(
      ctx.options.netns === undefined ? {} : { netns: ctx.options.netns },
    );
    ctx.out.write(
      json ? renderDoctorJson(diagnosis, ctx.options.pretty) : renderDoctorText(diagnosis),
    );
    status = diagnosis.canCreate ? 0 : 1;
  });
  return failed || status;
}

/** The `doctor` subcommand. */
export const command: Command = { spec, run };
