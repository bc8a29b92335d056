/**
 * Batches are read as they come: a line on a pipe runs before the writer
 * closes it, and memory does not grow with the number of lines.
 */

import assert from "node:assert/strict";
import { cliCommand, kernelTest, ROOT, sh, type TestNetns } from "./_netns.ts";

const encoder = new TextEncoder();

function exists(ns: TestNetns, name: string): boolean {
  return ns.exec(["ip", "link", "show", "dev", name]).code === 0;
}

kernelTest(
  "-batch - runs each line as it arrives, before the writer closes the pipe",
  async (ns) => {
    const child = new Deno.Command(cliCommand()[0] as string, {
      args: [...cliCommand().slice(1), "-n", ns.name, "-batch", "-"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(encoder.encode("tuntap add mode tun name first0\n"));
    // The pipe stays open: the first line must run anyway.
    let seen = false;
    for (let waited = 0; waited < 20_000 && !seen; waited += 20) {
      seen = exists(ns, "first0");
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(seen, "first0 was made while the pipe was still open");
    assert.equal(exists(ns, "second0"), false);
    await writer.write(encoder.encode("add mode tap name second0\ndel first0\n"));
    await writer.close();
    const { code, stdout, stderr } = await child.output();
    assert.deepEqual([code, new TextDecoder().decode(stdout), new TextDecoder().decode(stderr)], [
      0,
      "",
      "",
    ]);
    assert.deepEqual(ns.ipTuntap(), [{ ifname: "second0", flags: ["tap", "persist"] }]);
  },
);

/** Runs a command and returns its exit status and peak resident memory in KiB. */
function peakRss(command: string[]): { code: number; kib: number } {
  const script = "import resource, subprocess, sys\n" +
    "r = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n" +
    "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n";
  const result = sh(["python3", "-c", script, ...command]);
  assert.equal(result.code, 0, result.stderr);
  const [code, kib] = result.stdout.trim().split(" ").map(Number);
  return { code: code as number, kib: kib as number };
}

kernelTest("a batch of 200,000 failing lines runs in the memory of one of 20,000", (ns) => {
  // What the process keeps: the live heap after a full collection, with the
  // same lines in memory (so only what running them leaves behind counts).
  const heaps = [20_000, 200_000].map((count) => {
    const result = sh([
      Deno.execPath(),
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      `${ROOT}tests/fixtures/batch_heap.ts`,
      ns.name,
      String(count),
    ]);
    assert.equal(result.code, 0, result.stderr);
    const { status, heap } = JSON.parse(result.stdout);
    assert.equal(status, 1);
    return heap as number;
  });
  const [small, large] = heaps as [number, number];
  assert.ok(
    large - small < 1024 * 1024,
    `live heap ${small} B after 20,000 lines, ${large} B after 200,000`,
  );

  // What the operating system sees: peak RSS of the real command. What is
  // left of the ratio is V8 sizing its young generation to the allocation
  // rate (bounded by its largest semi-space); a few hundred bytes kept per
  // line would take it far above.
  const dir = Deno.makeTempDirSync({ prefix: "tuntap-batch-" });
  try {
    const peaks = [20_000, 200_000].map((lines) => {
      const file = `${dir}/${lines}.batch`;
      let text = "";
      for (let i = 0; i < lines; i++) {
        // No mode (fails before the kernel), and a device that is not there.
        text += i % 2 === 0 ? `tuntap add name x${i}\n` : `tuntap del name nosuch${i} mode tun\n`;
      }
      Deno.writeTextFileSync(file, text);
      const { code, kib } = peakRss([...cliCommand(), "-n", ns.name, "-force", "-batch", file]);
      assert.equal(code, 1);
      return kib;
    });
    const [small, large] = peaks as [number, number];
    assert.ok(
      large / small < 1.5,
      `peak RSS ${small} KiB for 20,000 lines, ${large} KiB for 200,000 (ratio ${large / small})`,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  assert.deepEqual(ns.ipTuntap(), []);
});
