/**
 * The documentation examples that `deno test --doc` must not run: those that
 * need CAP_NET_ADMIN and devices (run in the caller's namespace, they would
 * make devices there). Every ` ```ts ignore ` block in the public modules and
 * in README.md says so in a comment naming this file; this test type-checks
 * them all, then runs each, as written, in a fresh network namespace of its
 * own and a private mount namespace where `/run/netns` is a tmpfs. Each
 * namespace starts with what the examples name:
 *
 * - `tun0` (tun, up, 10.1.0.1/24, with a `ping` to 10.1.0.2 running, so that
 *   packets arrive), `tun1` (tun), `tap0`, `tap1` (tap), `mq0` (tun,
 *   multi_queue), `br0` (a bridge);
 * - the named namespaces `blue` and `lab`.
 *
 * A block of several files starts each with a `// NAME.ts` line; the last is
 * the program. The program gets the argument `show` (for `runCommandLine`)
 * and a minute to finish.
 * The one exception to the comment is README's library example, which
 * `tests/readme_test.ts` runs and checks line by line.
 */

import assert from "node:assert/strict";
import { kernelTest, ROOT, sh } from "./_netns.ts";

/** The words every ignored example carries. */
const MARKER = "tests/doc_examples_test.ts runs";

interface Example {
  /** FILE:LINE of the block. */
  place: string;
  files: { name: string; code: string }[];
  /** Whether it says this test runs it. */
  marked: boolean;
}

function example(place: string, code: string): Example {
  const files: { name: string; code: string }[] = [];
  for (const line of code.split("\n")) {
    const start = /^\/\/ ([\w-]+\.ts)\b/.exec(line);
    if (start || files.length === 0) files.push({ name: start?.[1] ?? "example.ts", code: "" });
    (files.at(-1) as { code: string }).code += `${line}\n`;
  }
  return { place, files, marked: code.includes(MARKER) };
}

/** The ` ```ts ignore ` blocks of one module's JSDoc. */
function moduleExamples(path: string): Example[] {
  const lines = Deno.readTextFileSync(`${ROOT}${path}`).split("\n");
  const found: Example[] = [];
  lines.forEach((line, i) => {
    if (!/^\s*\* ```ts ignore$/.test(line)) return;
    const body: string[] = [];
    for (let j = i + 1; !/^\s*\* ```$/.test(lines[j] as string); j++) {
      body.push((lines[j] as string).replace(/^\s*\*( |$)/, ""));
    }
    found.push(example(`${path}:${i + 1}`, body.join("\n")));
  });
  return found;
}

/** The ` ```ts ignore ` blocks of README.md. */
function readmeExamples(): Example[] {
  const text = Deno.readTextFileSync(`${ROOT}README.md`);
  return [...text.matchAll(/^```ts ignore\n([\s\S]*?)^```$/gm)].map((match) => {
    const line = text.slice(0, match.index).split("\n").length;
    const found = example(`README.md:${line}`, match[1] as string);
    // The library example: the paragraph before it names its own test.
    const before = text.slice(Math.max(0, match.index - 300), match.index);
    if (before.includes("`tests/readme_test.ts` runs it")) found.marked = true;
    return found;
  });
}

function sources(): string[] {
  const found = ["mod.ts", "cli.ts"];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(`${ROOT}${dir}`)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else if (entry.name.endsWith(".ts")) found.push(path);
    }
  };
  walk("lib");
  return found.sort();
}

const examples = [...sources().flatMap(moduleExamples), ...readmeExamples()];
const runnable = examples.filter((e) => e.files.some((f) => f.code.includes(MARKER)));

/** Writes an example's files into a directory of their own; returns the program's path. */
function writeExample(dir: string, found: Example): string {
  Deno.mkdirSync(dir, { recursive: true });
  for (const file of found.files) Deno.writeTextFileSync(`${dir}/${file.name}`, file.code);
  return `${dir}/${(found.files.at(-1) as { name: string }).name}`;
}

Deno.test("every ignored documentation example says which test runs it", () => {
  assert.ok(examples.length >= 25, `only ${examples.length} ignored examples found`);
  const unmarked = examples.filter((e) => !e.marked).map((e) => e.place);
  assert.deepEqual(unmarked, [], "ignored examples that no test runs");
});

Deno.test("the ignored documentation examples type-check", () => {
  const dir = Deno.makeTempDirSync({ prefix: "tuntap-doc-" });
  try {
    const programs = runnable.map((e, i) => writeExample(`${dir}/${i}`, e));
    const checked = sh([Deno.execPath(), "check", "--config", `${ROOT}deno.json`, ...programs]);
    assert.equal(checked.code, 0, checked.stderr);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/** Makes the namespace's devices and named namespaces, runs "$@", stops the ping. */
const FIXTURE = `set -e
mount -t tmpfs tmpfs /run/netns
ip netns add blue
ip netns add lab
ip link set lo up
ip tuntap add tun0 mode tun
ip tuntap add tun1 mode tun
ip tuntap add tap0 mode tap
ip tuntap add tap1 mode tap
ip tuntap add mq0 mode tun multi_queue
ip link add br0 type bridge
ip addr add 10.1.0.1/24 dev tun0
ip link set tun0 up
ping -q -i 0.2 10.1.0.2 >/dev/null 2>&1 &
pinger=$!
set +e
"$@"
code=$?
kill "$pinger"
exit "$code"
`;

for (const found of runnable) {
  kernelTest(`documentation example ${found.place} runs in a namespace`, (ns) => {
    assert.equal(sh(["sh", "-c", "command -v ping"]).code, 0, "ping is not installed");
    const dir = Deno.makeTempDirSync({ prefix: "tuntap-doc-" });
    try {
      const program = writeExample(dir, found);
      const result = ns.exec([
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        FIXTURE,
        "sh",
        "timeout",
        "60",
        Deno.execPath(),
        "run",
        "-A",
        "--config",
        `${ROOT}deno.json`,
        program,
        "show",
      ]);
      assert.equal(result.code, 0, `${found.place}:\n${result.stdout}${result.stderr}`);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  });
}
