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

kernelTest(
  "create/delete cycles succeed while both CPUs are busy and another process reads every fdinfo",
  async (ns) => {
    // A reader of /proc/PID/fdinfo keeps a descriptor that was just closed
    // attached for a moment: a delete right after a create can see EBUSY
    // with no holder, and must try again rather than fail.
    const loops = [
      "while :; do cat /proc/[0-9]*/fdinfo/* > /dev/null 2>&1; done",
      "while :; do :; done",
      "while :; do :; done",
    ];
    const background = loops.map((loop) =>
      new Deno.Command("sh", { args: ["-c", loop], stdin: "null", stdout: "null", stderr: "null" })
        .spawn()
    );
    try {
      const result = sh([
        Deno.execPath(),
        "run",
        "-A",
        `${ROOT}tests/fixtures/cycles.ts`,
        ns.name,
        "500",
      ]);
      assert.equal(result.code, 0, result.stderr);
      const { before, after, cycles, left } = JSON.parse(result.stdout);
      assert.equal(cycles, 500);
      assert.equal(after, before);
      assert.equal(left, 0);
    } finally {
      for (const child of background) child.kill("SIGKILL");
      await Promise.all(background.map((c) => c.status));
    }
    assert.deepEqual(ns.ipTuntap(), []);
  },
);
