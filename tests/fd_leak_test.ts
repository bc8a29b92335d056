import assert from "node:assert/strict";
import { kernelTest, ROOT, sh } from "./_netns.ts";

const CYCLES = 10_000;

kernelTest(
  `${CYCLES} create/delete cycles in one process leave the open-fd count unchanged`,
  (ns) => {
    // A process of its own: the fd count of this one moves with the other test files.
    const result = sh([
      Deno.execPath(),
      "run",
      "-A",
      `${ROOT}tests/fixtures/cycles.ts`,
      ns.name,
      String(CYCLES),
    ]);
    assert.equal(result.code, 0, result.stderr);
    const { before, after, cycles, left } = JSON.parse(result.stdout);
    assert.equal(cycles, CYCLES);
    assert.equal(after, before);
    assert.equal(left, 0);
    assert.deepEqual(ns.ipTuntap(), []);
  },
);
