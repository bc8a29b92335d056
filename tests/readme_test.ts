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
