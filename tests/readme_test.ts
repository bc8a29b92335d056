/**
 * Every `console` sample in README.md runs as written, in a fresh network
 * namespace of its own, and prints what README shows: the samples cannot
 * drift from the tool. Each `$ tuntap …` line runs the CLI; the lines up to
 * the next `$` are its standard output and then its standard error. The
 * namespace's name is shown as `blue`.
 */

import assert from "node:assert/strict";
import { kernelTest, ROOT } from "./_netns.ts";

interface Step {
  args: string[];
  output: string;
}

/** The `console` blocks of a Markdown text, as commands and their output. */
function consoleBlocks(markdown: string): Step[][] {
  const blocks: Step[][] = [];
  for (const match of markdown.matchAll(/^```console\n([\s\S]*?)^```$/gm)) {
    const steps: Step[] = [];
    for (const line of (match[1] as string).split("\n").slice(0, -1)) {
      if (line.startsWith("$ ")) {
        const words = line.slice(2).split(" ");
        assert.equal(words[0], "tuntap", `README sample runs something else: ${line}`);
        steps.push({ args: words.slice(1), output: "" });
      } else {
        const step = steps.at(-1);
        assert.ok(step, `README sample starts with output: ${line}`);
        step.output += `${line}\n`;
      }
    }
    blocks.push(steps);
  }
  return blocks;
}

const blocks = consoleBlocks(Deno.readTextFileSync(`${ROOT}README.md`));

Deno.test("README has console samples to check", () => {
  assert.ok(blocks.length >= 2);
});

blocks.forEach((steps, i) => {
  kernelTest(`README console sample ${i + 1} prints what README shows`, (ns) => {
    for (const step of steps) {
      const result = ns.cli(step.args);
      const printed = (result.stdout + result.stderr).replaceAll(ns.name, "blue");
      assert.equal(printed, step.output, `tuntap ${step.args.join(" ")}`);
    }
  });
});

/** The first `ts` block of README's "Library" section. */
function libraryExample(markdown: string): string {
  const section = markdown.slice(markdown.indexOf("\n## Library\n"));
  const match = /^```ts[^\n]*\n([\s\S]*?)^```$/m.exec(section);
  assert.ok(match, "README's Library section has no ts block");
  return match[1] as string;
}

kernelTest("README's library example runs as written and leaves nothing behind", (ns) => {
  const code = libraryExample(Deno.readTextFileSync(`${ROOT}README.md`))
    .replace('from "@netdev/tuntap";', `from "${ROOT}mod.ts";`);
  const file = Deno.makeTempFileSync({ suffix: ".ts" });
  try {
    Deno.writeTextFileSync(file, code);
    const result = ns.exec([
      Deno.execPath(),
      "run",
      "--allow-ffi",
      "--config",
      `${ROOT}deno.json`,
      file,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split("\n");
    assert.match(lines[0] as string, /^vm0 [0-9a-f:]{17} 65534$/);
    assert.equal(lines[1], "192.0.2.1");
    assert.match(lines[2] as string, /^EBUSY /);
    assert.deepEqual(ns.ipTuntap(), []);
  } finally {
    Deno.removeSync(file);
  }
});
