/**
 * Creating and deleting devices in-process, in a private namespace this
 * bench makes (`ip netns add`) and removes: one call per device against the
 * bulk calls. Only the operation is timed; the set-up of each iteration
 * (creating what it deletes, deleting what it created) is not.
 */

import { createTunTap, createTunTaps, deleteTunTap, deleteTunTaps } from "../mod.ts";

const N = 50;
const names = Array.from({ length: N }, (_, i) => `b${i}`);
const requests = names.map((name) => ({ name, mode: "tun" as const }));

/** A namespace for the bench, or why there is none. */
function makeNamespace(): { netns: string } | { reason: string } {
  const netns = `tuntap-bench-${Deno.pid}`;
  try {
    const made = new Deno.Command("ip", { args: ["netns", "add", netns], stderr: "piped" })
      .outputSync();
    if (made.success) return { netns };
    return { reason: new TextDecoder().decode(made.stderr).trim() };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

const space = makeNamespace();
const netns = "netns" in space ? space.netns : "";
if ("reason" in space) {
  // deno-lint-ignore no-console
  console.error(`SKIPPED: devices_bench needs a network namespace: ${space.reason}`);
} else {
  globalThis.addEventListener("unload", () => {
    new Deno.Command("ip", { args: ["netns", "del", netns] }).outputSync();
  });
}
const ignore = "reason" in space;

Deno.bench({
  name: `create ${N}: createTunTaps`,
  group: "create",
  baseline: true,
  ignore,
  fn(b) {
    b.start();
    createTunTaps(requests, { netns });
    b.end();
    deleteTunTaps(names, { netns });
  },
});

Deno.bench({
  name: `create ${N}: createTunTap each`,
  group: "create",
  ignore,
  fn(b) {
    b.start();
    for (const request of requests) createTunTap({ ...request, netns });
    b.end();
    deleteTunTaps(names, { netns });
  },
});

Deno.bench({
  name: `delete ${N}: deleteTunTaps`,
  group: "delete",
  baseline: true,
  ignore,
  fn(b) {
    createTunTaps(requests, { netns, readBack: false });
    b.start();
    deleteTunTaps(names, { netns });
    b.end();
  },
});

Deno.bench({
  name: `delete ${N}: deleteTunTap each (one RCU grace period each)`,
  group: "delete",
  ignore,
  n: 5,
  warmup: 1,
  fn(b) {
    createTunTaps(requests, { netns, readBack: false });
    b.start();
    for (const name of names) deleteTunTap(name, { netns });
    b.end();
  },
});
