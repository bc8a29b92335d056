/**
 * `tuntap man`: a roff page that mandoc and groff read without a warning,
 * with every subcommand (and action) of the specs in its COMMANDS section,
 * every option `--help` lists in OPTIONS, and text escaped so that roff
 * prints it as written (a leading dot or quote, backslashes, hyphens,
 * characters outside ASCII). A formatter that is not installed has its test
 * ignored, loudly.
 */

import assert from "node:assert/strict";
import { commandSpecs } from "../lib/cli/_commands.ts";
import type { CommandSpec } from "../lib/cli/_grammar.ts";
import { optionHelp } from "../lib/cli/_about.ts";
import { escape, manPage } from "../lib/cli/_man.ts";
import { runCli } from "./_cli.ts";
import { sh } from "./_netns.ts";

const specs: CommandSpec[] = await commandSpecs();

const page = await runCli(["man"]);

function installed(command: string[]): boolean {
  try {
    sh(command);
    return true;
  } catch {
    return false;
  }
}

const MANDOC_SKIP = installed(["mandoc", "-V"])
  ? undefined
  : "mandoc is not installed (apt-get install -y mandoc): the lint of tuntap(1) is ignored";
const GROFF_SKIP = installed(["groff", "-v"])
  ? undefined
  : "groff is not installed (apt-get install -y groff-base): the groff check of tuntap(1) is ignored";
for (const reason of [MANDOC_SKIP, GROFF_SKIP]) {
  // deno-lint-ignore no-console
  if (reason !== undefined) console.error(`\n*** MAN PAGE TESTS SKIPPED: ${reason} ***\n`);
}

/** Runs a formatter on roff text (in a file: the test helper gives no stdin). */
function format(command: string[], roff: string): { code: number; stdout: string; stderr: string } {
  const file = Deno.makeTempFileSync({ prefix: "tuntap-man-", suffix: ".1" });
  try {
    Deno.writeTextFileSync(file, roff);
    return sh([...command, file]);
  } finally {
    Deno.removeSync(file);
  }
}

/** The lines of a section, from its .SH to the next. */
function section(roff: string, name: string): string {
  const start = roff.indexOf(`\n.SH ${name}\n`);
  assert.ok(start >= 0, `no ${name} section`);
  const end = roff.indexOf("\n.SH ", start + 1);
  return roff.slice(start, end < 0 ? undefined : end);
}

/** What roff prints for a man page, as plain text (groff, else mandoc). */
function rendered(roff: string): string {
  const command = GROFF_SKIP === undefined
    ? ["groff", "-man", "-Tutf8", "-P-cbou", "-rLL=200n"]
    : ["mandoc", "-Tutf8", "-Owidth=200"];
  const result = format(command, roff);
  assert.equal(result.code, 0, result.stderr);
  // Bold and underline as the terminal's overstrike: keep the last of "c\bc".
  let text = "";
  for (const char of result.stdout) text = char === "\b" ? text.slice(0, -1) : text + char;
  return text;
}

Deno.test("man: prints tuntap(1) with its sections in order", () => {
  assert.equal(page.status, 0, page.stderr);
  assert.equal(page.stderr, "");
  const roff = page.stdout;
  assert.match(roff, /^\.\\" /);
  assert.match(roff, /^\.TH TUNTAP 1 \d{4}-\d{2}-\d{2} "@netdev\/tuntap [^"]+" "User Commands"$/m);
  const sections = [...roff.matchAll(/^\.SH (.*)$/gm)].map((m) => m[1]);
  assert.deepEqual(sections, [
    "NAME",
    "SYNOPSIS",
    "DESCRIPTION",
    "OPTIONS",
    "COMMANDS",
    "EXIT STATUS",
    "FILES",
    "EXAMPLES",
    "SEE ALSO",
  ]);
  assert.match(section(roff, "NAME"), /^tuntap \\- [a-z]/m);
  const files = section(roff, "FILES");
  for (const path of ["/dev/net/tun", "/run/netns", "/run/lock/tuntap\\-apply.lock"]) {
    assert.ok(files.includes(`\\fB${path}\\fR`), path);
  }
  const seeAlso = section(roff, "SEE ALSO");
  assert.ok(seeAlso.includes("\\fBip\\fR(8)"));
  assert.ok(seeAlso.includes("\\fBip\\-tuntap\\fR(8)"));
});

Deno.test("man: every subcommand and action is in COMMANDS, every listed option in OPTIONS", () => {
  const commands = section(page.stdout, "COMMANDS");
  for (const spec of specs) {
    for (const name of [...spec.names, ...(spec.actions ?? []).flatMap((a) => a.names)]) {
      assert.ok(commands.includes(`\\fB${escape(name)}\\fR`), `COMMANDS lacks ${name}`);
    }
  }
  const text = rendered(page.stdout);
  for (const spec of specs) {
    assert.ok(text.includes(spec.usage[0]?.split(" ")[0] as string), spec.names[0]);
  }
  const options = section(page.stdout, "OPTIONS");
  for (const [spelling] of optionHelp()) {
    for (const word of spelling.split(/[ ,|[\]]+/).filter((w) => /^-./.test(w))) {
      assert.ok(options.includes(`\\fB${escape(word)}\\fR`), `OPTIONS lacks ${word}`);
    }
  }
});

Deno.test("man: the roff is escaped: no stray request, hyphen, backslash or non-ASCII byte", () => {
  for (const line of page.stdout.split("\n")) {
    if (line.startsWith(".")) {
      assert.match(line, /^\.(\\" |TH |SH |SS |TP$|PP$|RS$|RE$|br$|nh$|ad l$)/, line);
      continue;
    }
    assert.ok(!line.startsWith("'"), line);
    assert.ok(!line.startsWith(" "), `a text line starting with a space: ${line}`);
    assert.ok(new TextEncoder().encode(line).byteLength <= 80, `over 80 bytes: ${line}`);
    assert.doesNotMatch(line, /[^\x20-\x7e]/, line);
    // Every hyphen is a \- (a minus, as command lines want).
    assert.doesNotMatch(line.replaceAll("\\-", ""), /-/, line);
  }
  assert.equal(escape("a\\b-c"), "a\\eb\\-c");
  assert.equal(escape("caf\u00e9 \u2026"), "caf\\[u00E9] \\[u2026]");
});

Deno.test({
  name: "man: text roff would read as requests or escapes comes out as written",
  ignore: MANDOC_SKIP !== undefined && GROFF_SKIP !== undefined,
  fn() {
    const tricky: CommandSpec = {
      extension: true,
      names: ["tricky"],
      usage: ["tricky [ --flag ] PATH"],
      summary: ".hidden unless escaped; 'quoted; a back\\slash, \\fB not bold; caf\u00e9",
      keywords: [],
      actions: [{
        names: ["sub"],
        usage: [],
        summary: "'sub action' with -dashes",
        keywords: [],
      }],
    };
    const text = rendered(manPage([...specs, tricky]));
    assert.ok(text.includes(".hidden unless escaped; 'quoted;"), text);
    assert.ok(text.includes("a back\\slash, \\fB not bold; caf\u00e9"), text);
    assert.ok(text.includes("'sub action' with -dashes"), text);
    assert.ok(text.includes("tuntap tricky [ --flag ] PATH"), text);
  },
});

Deno.test({
  name: "man: mandoc -T lint finds nothing to say",
  ignore: MANDOC_SKIP !== undefined,
  fn() {
    const result = format(["mandoc", "-T", "lint"], page.stdout);
    assert.equal(result.stdout + result.stderr, "");
    assert.equal(result.code, 0);
  },
});

Deno.test({
  name: "man: groff -man -ww formats it without a warning",
  ignore: GROFF_SKIP !== undefined,
  fn() {
    const result = format(["groff", "-man", "-Tutf8", "-ww", "-z"], page.stdout);
    assert.equal(result.stderr, "");
    assert.equal(result.code, 0);
  },
});

Deno.test("man: an extra word is a command-line error", async () => {
  const result = await runCli(["man", "page"]);
  assert.equal(result.status, 255);
  assert.match(result.stderr, /"page" is garbage/);
});
