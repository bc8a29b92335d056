/**
 * `tuntap monitor` and `monitorTunTaps`, in namespaces the tests make: the
 * changes are made by other processes (ip, the CLI, python3 holding a
 * queue), and the events must come in the kernel's order.
 *
 * @module
 */

import assert from "node:assert/strict";
import { monitorTunTaps, type TunTapEvent } from "../mod.ts";
import { cliCommand, kernelTest, sh, type TestNetns } from "./_netns.ts";

/** Starts `tuntap -j monitor` in the namespace; resolves once it listens. */
async function startMonitor(ns: TestNetns, probe: string, ...args: string[]) {
  const child = new Deno.Command("ip", {
    args: ["netns", "exec", ns.name, ...cliCommand(), "-j", "monitor", ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // It listens once it has read the state: wait until the creation of a
  // probe device (PROBE0, PROBE1…, or PROBE when filtered by that name) is
  // seen, then delete it and forget it.
  const lines: string[] = [];
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let pending: Promise<ReadableStreamReadResult<string>> | undefined;
  const read = async (until: (line: string) => boolean, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const newline = buffer.indexOf("\n");
      if (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        lines.push(line);
        if (until(line)) return;
        continue;
      }
      const timer = new Promise<"timeout">((resolve) =>
        setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()))
      );
      // A read still pending from a timed-out call is kept: its chunk must not be lost.
      pending ??= reader.read();
      const chunk = await Promise.race([pending, timer]);
      if (chunk === "timeout") throw new Error(`no such event; got:\n${lines.join("\n")}`);
      pending = undefined;
      if (chunk.done) throw new Error(`monitor ended; got:\n${lines.join("\n")}`);
      buffer += chunk.value;
    }
  };
  const filtered = args.length > 0;
  let made = "";
  for (let i = 0;; i++) {
    made = filtered ? probe : `${probe}${i}`;
    if (filtered && i > 0) sh(["ip", "-n", ns.name, "tuntap", "del", "dev", made, "mode", "tun"]);
    sh(["ip", "-n", ns.name, "tuntap", "add", "dev", made, "mode", "tun"]);
    try {
      await read((line) => line.includes('"created"') && line.includes(`"${made}"`), 1000);
      break;
    } catch (error) {
      if (i > 20) throw error;
    }
  }
  sh(["ip", "-n", ns.name, "tuntap", "del", "dev", made, "mode", "tun"]);
  await read((line) => line.includes('"deleted"') && line.includes(`"${made}"`));
  lines.length = 0;
  return { child, lines, read, reader };
}

kernelTest("monitor -j sees another process's changes in order, and ends on SIGINT", async (ns) => {
  const { child, lines, read, reader } = await startMonitor(ns, "probe");
  const ip = (...args: string[]) => {
    const r = sh(["ip", "-n", ns.name, ...args]);
    assert.equal(r.code, 0, r.stderr);
  };
  ip("tuntap", "add", "dev", "ev0", "mode", "tun", "multi_queue");
  await read((l) => l.includes('"created"') && l.includes('"ev0"'));
  // The kernel announces owner, flag, queue and carrier changes only for a
  // device that is up.
  ip("link", "set", "dev", "ev0", "up");
  await read((l) => l.includes('"up"'));
  // Owner and a flag, changed by apply (it re-attaches with them).
  const applied = ns.cli(["apply", "-"], {
    stdin:
      "version: 1\ndevices:\n  - { name: ev0, mode: tun, multi_queue: true, owner: 65534, pi: true }\n",
  });
  assert.equal(applied.code, 0, applied.stderr);
  await read((l) => l.includes('"changed"') && l.includes('"owner"'));
  // A queue, attached by another process.
  const holder = new Deno.Command("ip", {
    args: ["netns", "exec", ns.name, "python3", "-c", HOLD_QUEUE, "ev0"],
    stdout: "piped",
    stdin: "piped",
  }).spawn();
  await read((l) => l.includes('"queues"') || l.includes('"carrier":true'));
  ip("address", "add", "10.5.0.1/24", "dev", "ev0");
  await read((l) => l.includes('"address-added"') && l.includes("10.5.0.1/24"));
  await holder.stdin.close();
  await holder.status;
  ip("link", "set", "dev", "ev0", "name", "ev1");
  await read((l) => l.includes('"renamed"') && l.includes('"oldName":"ev0"'));
  ip("tuntap", "del", "dev", "ev1", "mode", "tun", "multi_queue");
  await read((l) => l.includes('"deleted"') && l.includes('"ev1"'));
  const events = lines.map((l) => JSON.parse(l));
  const kinds = events.map((e) => e.event as string);
  const at = (test: (e: { event: string; changes?: { key: string }[] }) => boolean) =>
    events.findIndex(test);
  const owner = at((e) =>
    e.event === "changed" && (e.changes ?? []).some((c) => c.key === "owner")
  );
  const order = [
    at((e) => e.event === "created"),
    at((e) => e.event === "up"),
    owner,
    at((e) => e.event === "address-added" && (e as { address?: string }).address === "10.5.0.1/24"),
    at((e) => e.event === "renamed"),
    at((e) => e.event === "deleted"),
  ];
  assert.ok(
    order.every((i, n) => i >= 0 && (n === 0 || i > (order[n - 1] as number))),
    kinds.join(),
  );
  assert.ok(kinds.includes("queues") || kinds.includes("carrier"), kinds.join());
  // The flag change is announced with the attach that made it, the owner after it.
  const changes = events.filter((e) => e.event === "changed").flatMap((e) => e.changes);
  for (
    const wanted of [{ key: "owner", from: null, to: 65534 }, { key: "pi", from: false, to: true }]
  ) {
    assert.ok(
      changes.some((c) => JSON.stringify(c) === JSON.stringify(wanted)),
      JSON.stringify(changes),
    );
  }
  const start = Date.now();
  child.kill("SIGINT");
  const status = await child.status;
  assert.ok(Date.now() - start < 1000, `exited after ${Date.now() - start} ms`);
  assert.equal(status.code, 0);
  await reader.cancel();
  await child.stderr.cancel();
});

kernelTest("monitor ends when its reader goes away, and filters by name", async (ns) => {
  const { child, read, reader } = await startMonitor(ns, "only0", "dev", "only0");
  sh(["ip", "-n", ns.name, "tuntap", "add", "dev", "other0", "mode", "tun"]);
  sh(["ip", "-n", ns.name, "tuntap", "add", "dev", "only0", "mode", "tap"]);
  let seen = "";
  await read((l) => (seen = l).includes('"created"'));
  assert.match(seen, /"ifname":"only0"/);
  await reader.cancel(); // stdout closes
  // It notices at its next write: make events until it has gone (the pipe
  // may close a moment after the cancel).
  let exited = false;
  const status = child.status.finally(() => exited = true);
  for (let i = 0; !exited && i < 100; i++) {
    sh(["ip", "-n", ns.name, "link", "set", "dev", "only0", i % 2 ? "down" : "up"]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(exited, "monitor still runs 10 s after its reader went away");
  assert.equal((await status).code, 0);
  await child.stderr.cancel();
});

kernelTest(
  "monitorTunTaps: an async iterable of typed events that an AbortSignal ends",
  async (ns) => {
    const controller = new AbortController();
    const events: TunTapEvent[] = [];
    const done = (async () => {
      for await (const event of monitorTunTaps({ netns: ns.name, signal: controller.signal })) {
        events.push(event);
        if (event.kind === "up") controller.abort();
      }
    })();
    // The stream reads the state first: give it a moment, then make changes.
    for (let i = 0; events.length === 0 && i < 50; i++) {
      sh(["ip", "-n", ns.name, "tuntap", "add", "dev", `lib${i}`, "mode", "tap"]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const name = events[0]?.name as string;
    sh(["ip", "-n", ns.name, "link", "set", "dev", name, "up"]);
    await done;
    assert.equal(events[0]?.kind, "created");
    assert.equal(events[0]?.mode, "tap");
    assert.equal(events.at(-1)?.kind, "up");
    assert.equal(events.at(-1)?.name, name);
  },
);

/** Python: attach a queue of a multi-queue tun (argv[1]), print "held", hold it until stdin closes. */
const HOLD_QUEUE = `
import fcntl, struct, sys
fd = open("/dev/net/tun", "r+b", buffering=0)
fcntl.ioctl(fd, 0x400454ca, struct.pack("16sH", sys.argv[1].encode(), 0x0001 | 0x0100))
print("held", flush=True)
sys.stdin.read()
`;
