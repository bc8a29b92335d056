/**
 * `tuntap completions`: each script loads in its shell and, driven as the
 * shell drives it, offers what the grammar says: subcommands, options,
 * keywords (a prefix keyword by its full word), values by kind, and the
 * devices of the namespace named by `-n NS` on the line, which it gets by
 * running the CLI (through a `tuntap` wrapper on PATH, or `$TUNTAP`).
 * A shell that is not installed has its tests ignored, loudly.
 */

import assert from "node:assert/strict";
import { SCOPES } from "../lib/address/_inet.ts";
import { commandSpecs } from "../lib/cli/_commands.ts";
import {
  COLOR_OPTION,
  completionGrammar,
  KIND_WORDS,
  OPTION_KINDS,
  SHELLS,
} from "../lib/cli/_completions.ts";
import type { CommandSpec } from "../lib/cli/_grammar.ts";
import { OPTIONS, parseOptions } from "../lib/cli/_options.ts";
import { runCli } from "./_cli.ts";
import { cliCommand, KERNEL_SKIP_REASON, sh, TestNetns } from "./_netns.ts";

const specs: CommandSpec[] = await commandSpecs();

function installed(shell: string): boolean {
  try {
    return sh([shell, "-c", "exit 0"]).code === 0;
  } catch {
    return false;
  }
}

const SHELL_SKIP: Record<string, string | undefined> = Object.fromEntries(
  ["bash", "zsh", "fish"].map((shell) => [
    shell,
    installed(shell)
      ? undefined
      : `${shell} is not installed (apt-get install -y ${shell}): its completion tests are ignored`,
  ]),
);
for (const reason of Object.values(SHELL_SKIP)) {
  // deno-lint-ignore no-console
  if (reason !== undefined) console.error(`\n*** COMPLETION TESTS SKIPPED: ${reason} ***\n`);
}

const dir = Deno.makeTempDirSync({ prefix: "tuntap-completions-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

/** The script `tuntap completions SHELL` prints, in a file. */
const scripts: Record<string, string> = {};
for (const shell of SHELLS) {
  const result = await runCli(["completions", shell]);
  assert.equal(result.status, 0, result.stderr);
  scripts[shell] = `${dir}/tuntap.${shell}`;
  Deno.writeTextFileSync(scripts[shell], result.stdout);
}

/** A `tuntap` that runs the CLI as `deno task tuntap` does. */
const wrapperDir = `${dir}/bin`;
Deno.mkdirSync(wrapperDir);
const wrapper = `${wrapperDir}/tuntap`;
const quoteSh = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
Deno.writeTextFileSync(wrapper, `#!/bin/sh\nexec ${cliCommand().map(quoteSh).join(" ")} "$@"\n`);
Deno.chmodSync(wrapper, 0o755);

/** Where no CLI is run: `$TUNTAP` is a command that prints nothing. */
const NO_CLI = { TUNTAP: "true" };

/** What bash puts in COMP_WORDS for a line: words, and its break characters (= :) apart. */
function compWords(line: string): string[] {
  const words = line.split(" ").filter((w) => w !== "").flatMap((w) => w.match(/[=:]+|[^=:]+/g)!);
  if (line.endsWith(" ")) words.push("");
  return words;
}

const BASH_DRIVER = `source "$1" || exit 3
COMP_LINE=$2 COMP_POINT=\${#2}
shift 2
COMP_WORDS=("$@") COMP_CWORD=$(($# - 1))
_tuntap tuntap "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}" || exit 4
printf '%s\\n' "\${COMPREPLY[@]}"`;

/** What bash's completion function offers for a line (the cursor at its end). */
function bash(line: string, env: Record<string, string> = NO_CLI): string[] {
  const result = sh(
    ["bash", "-c", BASH_DRIVER, "bash", scripts.bash as string, line, ...compWords(line)],
    env,
  );
  assert.equal(result.code, 0, `bash completing "${line}": ${result.stderr}`);
  assert.equal(result.stderr, "", `bash completing "${line}"`);
  return result.stdout.split("\n").filter((l) => l !== "");
}

const ZSH_DRIVER = `autoload -U compinit && compinit -u -D
source $1 || exit 3
(( $+_comps[tuntap] )) && [[ $_comps[tuntap] == _tuntap ]] || exit 4
compadd() {
  shift $(( \${@[(i)--]} ))
  local a
  for a; do [[ $a == "$words[CURRENT]"* ]] && print -r -- $a; done
}
_files() { print -r -- '<files>' }
_users() { print -r -- '<users>' }
_groups() { print -r -- '<groups>' }
words=("\${(@)argv[2,-1]}")
CURRENT=$#words
_tuntap`;

/** What zsh's completion function adds for a line, through a compadd that prints. */
function zsh(line: string, env: Record<string, string> = NO_CLI): string[] {
  const words = line.split(" ").filter((w) => w !== "");
  if (line.endsWith(" ")) words.push("");
  const result = sh(["zsh", "-f", "-c", ZSH_DRIVER, "zsh", scripts.zsh as string, ...words], env);
  assert.equal(result.stderr, "", `zsh completing "${line}"`);
  return result.stdout.split("\n").filter((l) => l !== "");
}

/** What `complete -C` prints in fish for a line, without descriptions. */
function fish(line: string, env: Record<string, string> = NO_CLI): string[] {
  const result = sh([
    "fish",
    "--no-config",
    "-c",
    "source $argv[1]; and complete -C $argv[2]",
    scripts.fish as string,
    line,
  ], env);
  assert.equal(result.code, 0, `fish completing "${line}": ${result.stderr}`);
  assert.equal(result.stderr, "", `fish completing "${line}"`);
  return result.stdout.split("\n").filter((l) => l !== "").map((l) => l.split("\t")[0] as string);
}

const sorted = (words: readonly string[]) => [...new Set(words)].sort();

function assertOffers(got: readonly string[], want: readonly string[], line: string): void {
  assert.deepEqual(sorted(got), sorted(want), `completing "${line}"`);
}

Deno.test("completions: no shell, an unknown shell or an extra word is a command-line error", async () => {
  const none = await runCli(["completions"]);
  assert.equal(none.status, 255);
  assert.match(none.stderr, /^Usage: tuntap completions \{ bash \| zsh \| fish \}\n$/);
  const ksh = await runCli(["completions", "ksh"]);
  assert.equal(ksh.status, 255);
  assert.match(ksh.stderr, /argument "ksh" is wrong/);
  assert.equal((await runCli(["completions", "bash", "zsh"])).status, 255);
});

Deno.test("completions: the options offered are the ones the CLI reads, with their kinds", () => {
  const grammar = completionGrammar(specs);
  for (const word of grammar.optionWords) {
    try {
      parseOptions([word, "x"], () => {});
    } catch (error) {
      // --help and --version end the run: read, not unknown.
      assert.doesNotMatch((error as Error).message, /is unknown/, word);
    }
  }
  assert.equal(parseOptions([COLOR_OPTION], () => {}).color, "always");
  for (const color of grammar.colors) {
    assert.equal(parseOptions([`${COLOR_OPTION}=${color}`], () => {}).color, color);
  }
  for (const name of Object.keys(OPTION_KINDS)) {
    assert.ok(OPTIONS.find((o) => o.name === name)?.value !== undefined, name);
  }
  const entry = (word: string) => grammar.options.find((o) => o.word === word);
  assert.equal(entry("-batch")?.value, "file");
  assert.equal(entry("-netns")?.value, "netns");
  assert.equal(entry("-4")?.match, "exact");
  // -color sits where the option parser tries it: just before -help.
  const words = grammar.options.map((o) => o.word);
  assert.equal(words.indexOf(COLOR_OPTION) + 1, words.indexOf("-help"));
  assert.deepEqual(KIND_WORDS.scope, Object.values(SCOPES));
});

Deno.test({
  name: "completions bash: the script parses, loads and registers _tuntap for tuntap",
  ignore: SHELL_SKIP.bash !== undefined,
  fn() {
    const parsed = sh(["bash", "-n", scripts.bash as string]);
    assert.equal(parsed.code, 0, parsed.stderr);
    // Sourced from a function too, as bash-completion's loader does.
    const loaded = sh([
      "bash",
      "-c",
      'load() { source "$1"; }; load "$1" && complete -p tuntap',
      "bash",
      scripts.bash as string,
    ]);
    assert.equal(loaded.code, 0, loaded.stderr);
    assert.equal(loaded.stdout, "complete -F _tuntap tuntap\n");
  },
});

Deno.test({
  name:
    "completions bash: subcommands, options, keywords and fixed values, as the grammar has them",
  ignore: SHELL_SKIP.bash !== undefined,
  fn() {
    assertOffers(bash("tuntap add mo"), ["mode"], "tuntap add mo");
    assertOffers(bash("tuntap add multi"), ["multi_queue"], "tuntap add multi");
    assertOffers(bash("tuntap add vn"), ["vnet_hdr"], "tuntap add vn");
    assertOffers(bash("tuntap de"), ["delete"], "tuntap de");
    assertOffers(bash("tuntap add mode t"), ["tun", "tap"], "tuntap add mode t");
    // "m" is mode's prefix: its value comes next.
    assertOffers(bash("tuntap add m t"), ["tun", "tap"], "tuntap add m t");
    // After a keyword's value, the keywords again.
    assert.ok(bash("tuntap add mode tun ").includes("vnet_hdr"));
    assertOffers(bash("tuntap set tap0 arp "), ["on", "off"], "tuntap set tap0 arp");
    assertOffers(
      bash("tuntap addr add 10.0.0.1/24 scope "),
      Object.values(SCOPES),
      "tuntap addr add … scope",
    );
    assertOffers(bash("tuntap completions "), [...SHELLS], "tuntap completions");
    assertOffers(bash("tuntap -c=a"), ["always", "auto"], "tuntap -c=a");
    // A MAC address is split at its colons by bash; the walk stays in step.
    assertOffers(
      bash("tuntap set tap0 address 02:00:00:00:00:01 mt"),
      ["mtu"],
      "tuntap set … address 02:00:00:00:00:01 mt",
    );
    assertOffers(bash("tuntap -- s"), ["show", "set", "schema"], "tuntap -- s");
    assertOffers(bash("tuntap -j -o sh"), ["show"], "tuntap -j -o sh");
    assert.ok(bash("tuntap add user ro").includes("root"));
    assert.ok(bash("tuntap add group ro").includes("root"));
  },
});

Deno.test({
  name: "completions bash: every subcommand, action, option and keyword of the specs is offered",
  ignore: SHELL_SKIP.bash !== undefined,
  fn() {
    assertOffers(bash("tuntap "), specs.flatMap((s) => s.names), "tuntap");
    const grammar = completionGrammar(specs);
    assertOffers(bash("tuntap -"), grammar.optionWords, "tuntap -");
    for (const spec of specs) {
      const name = spec.names[0] as string;
      if (spec.actions) {
        assertOffers(
          bash(`tuntap ${name} `),
          spec.actions.flatMap((a) => a.names),
          `tuntap ${name}`,
        );
        for (const action of spec.actions) {
          const offered = bash(`tuntap ${name} ${action.names[0]} `);
          for (const keyword of action.keywords) {
            assert.ok(offered.includes(keyword.word), `${name} ${action.names[0]} ${keyword.word}`);
          }
        }
        continue;
      }
      const offered = bash(`tuntap ${name} `);
      for (const keyword of spec.keywords) {
        assert.ok(offered.includes(keyword.word), `tuntap ${name}: ${keyword.word}`);
      }
    }
  },
});

Deno.test({
  name: "completions bash: files for -batch, apply and export --dir",
  ignore: SHELL_SKIP.bash !== undefined,
  fn() {
    Deno.writeTextFileSync(`${dir}/lines.batch`, "show\n");
    assertOffers(bash(`tuntap -batch ${dir}/lines.b`), [`${dir}/lines.batch`], "-batch");
    assertOffers(bash(`tuntap -b ${dir}/lines.b`), [`${dir}/lines.batch`], "-b");
    assert.ok(bash(`tuntap apply ${dir}/lines.b`).includes(`${dir}/lines.batch`));
    assertOffers(bash(`tuntap export --dir ${dir}/b`), [`${dir}/bin`], "export --dir");
  },
});

/** Runs `check` in a namespace that holds the TUN device comp0, made with ip. */
function withDevice(check: (ns: TestNetns) => void): () => void {
  return () => {
    using ns = TestNetns.create();
    const added = sh(["ip", "-n", ns.name, "tuntap", "add", "dev", "comp0", "mode", "tun"]);
    assert.equal(added.code, 0, added.stderr);
    check(ns);
  };
}

/** PATH with the `tuntap` wrapper first, and no $TUNTAP. */
const WRAPPER_PATH = { PATH: `${wrapperDir}:${Deno.env.get("PATH") ?? ""}`, TUNTAP: "" };

Deno.test({
  name: "completions bash: device names of the -n NS namespace, from the CLI run as tuntap on PATH",
  ignore: KERNEL_SKIP_REASON !== undefined || SHELL_SKIP.bash !== undefined,
  fn: withDevice((ns) => {
    assertOffers(bash(`tuntap -n ${ns.name} del co`, WRAPPER_PATH), ["comp0"], "del co");
    assertOffers(
      bash(`tuntap -netns ${ns.name} set `, WRAPPER_PATH).filter((w) => w.startsWith("comp")),
      [
        "comp0",
      ],
      "set",
    );
    // "master DEVICE" is any link: lo as well.
    const masters = bash(`tuntap -n ${ns.name} set comp0 master `, WRAPPER_PATH);
    assertOffers(masters, ["comp0", "lo"], "set comp0 master");
    assert.ok(bash("tuntap -n ", WRAPPER_PATH).includes(ns.name));
    // Without -n, the namespace of the shell: comp0 is not there.
    assert.ok(!bash("tuntap del co", WRAPPER_PATH).includes("comp0"));
  }),
});

Deno.test({
  name: "completions zsh: the script parses, and as a compdef offers keywords and values",
  ignore: SHELL_SKIP.zsh !== undefined,
  fn() {
    const parsed = sh(["zsh", "-n", scripts.zsh as string]);
    assert.equal(parsed.code, 0, parsed.stderr);
    assertOffers(zsh("tuntap add mo"), ["mode"], "tuntap add mo");
    assertOffers(zsh("tuntap add multi"), ["multi_queue"], "tuntap add multi");
    assertOffers(zsh("tuntap add m t"), ["tun", "tap"], "tuntap add m t");
    assertOffers(zsh("tuntap de"), ["delete"], "tuntap de");
    assertOffers(zsh("tuntap -c=a"), ["-c=always", "-c=auto"], "tuntap -c=a");
    assertOffers(zsh("tuntap -b x"), ["<files>"], "tuntap -b x");
    assertOffers(zsh("tuntap add user r"), ["<users>"], "tuntap add user r");
    assertOffers(zsh("tuntap "), specs.flatMap((s) => s.names), "tuntap");
  },
});

Deno.test({
  name: "completions zsh: device names of the -n NS namespace, from the CLI run as $TUNTAP",
  ignore: KERNEL_SKIP_REASON !== undefined || SHELL_SKIP.zsh !== undefined,
  fn: withDevice((ns) => {
    assertOffers(zsh(`tuntap -n ${ns.name} del co`, { TUNTAP: wrapper }), ["comp0"], "del co");
  }),
});

Deno.test({
  name: "completions fish: the script parses, and complete -C offers keywords and values",
  ignore: SHELL_SKIP.fish !== undefined,
  fn() {
    const parsed = sh(["fish", "--no-execute", scripts.fish as string]);
    assert.equal(parsed.code, 0, parsed.stderr);
    assertOffers(fish("tuntap add mo"), ["mode"], "tuntap add mo");
    assertOffers(fish("tuntap add multi"), ["multi_queue"], "tuntap add multi");
    assertOffers(fish("tuntap add m t"), ["tun", "tap"], "tuntap add m t");
    assertOffers(fish("tuntap de"), ["delete"], "tuntap de");
    assertOffers(fish("tuntap -c=a"), ["-c=always", "-c=auto"], "tuntap -c=a");
    assertOffers(fish("tuntap set tap0 arp "), ["on", "off"], "tuntap set tap0 arp");
    assertOffers(fish(`tuntap -b ${dir}/tuntap.f`), [`${dir}/tuntap.fish`], "tuntap -b");
    assertOffers(fish("tuntap "), specs.flatMap((s) => s.names), "tuntap");
  },
});

Deno.test({
  name: "completions fish: device names of the -n NS namespace, from the CLI run as tuntap on PATH",
  ignore: KERNEL_SKIP_REASON !== undefined || SHELL_SKIP.fish !== undefined,
  fn: withDevice((ns) => {
    assertOffers(fish(`tuntap -n ${ns.name} del co`, WRAPPER_PATH), ["comp0"], "del co");
  }),
});
