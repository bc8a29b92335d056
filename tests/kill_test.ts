/**
 * Crash safety: `del A B C…` and batches of `add`/`del` lines killed with
 * SIGKILL at random moments, then run again, converge, and no device is
 * ever left half-made (not persistent, without its owner) or in a
 * temporary interface group.
 */

import assert from "node:assert/strict";
import { createTunTaps } from "../mod.ts";
import { cliCommand, kernelTest, type Run, sh, type TestNetns } from "./_netns.ts";

const RUNS = 20;
const COUNT = 300;

/** Starts the CLI in `ns`, kills it after `delay` ms (if it is still running), and waits for it. */
async function killedAfter(ns: TestNetns, args: string[], delay: number): Promise<void> {
  const child = new Deno.Command(cliCommand()[0] as string, {
    args: [...cliCommand().slice(1), "-n", ns.name, ...args],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  await new Promise((resolve) => setTimeout(resolve, delay));
  try {
    child.kill("SIGKILL");
  } catch {
    // It had finished already.
  }
  await child.status;
}

interface LinkState {
  ifname: string;
  group?: string;
  linkinfo?: {
    "info_kind"?: string;
    "info_data"?: { persist?: boolean; user?: string | number; group?: string | number };
  };
}

/** Every link is in the default group, and every TUN/TAP device left is whole. */
function noHalfMade(ns: TestNetns, owner: string | undefined, where: string): string[] {
  const links = ns.ipLinks() as unknown as LinkState[];
  for (const link of links) {
    assert.equal(link.group, "default", `${where}: ${link.ifname} is in group ${link.group}`);
    if (link.linkinfo?.info_kind !== "tun") continue;
    const data = link.linkinfo.info_data ?? {};
    assert.equal(data.persist, true, `${where}: ${link.ifname} is not persistent`);
    if (owner !== undefined) {
      assert.equal(String(data.user), owner, `${where}: ${link.ifname} owner`);
    }
  }
  return links.filter((l) => l.linkinfo?.info_kind === "tun").map((l) => l.ifname);
}

function run(ns: TestNetns, args: string[]): Run {
  return sh([...cliCommand(), "-n", ns.name, ...args]);
}

/** A delay from 0 to 300 ms: the CLI starts in about 40 ms and does its work in about 100. */
function moment(): number {
  return Math.floor(Math.random() * 300);
}

kernelTest(
  `del of ${COUNT} names killed at ${RUNS} random moments converges when run again`,
  async (ns) => {
    const names = Array.from({ length: COUNT }, (_, i) => `k${i}`);
    for (let i = 0; i < RUNS; i++) {
      const made = createTunTaps(
        names.map((name, n) => ({
          name,
          mode: n % 2 ? "tun" as const : "tap" as const,
          multiQueue: n % 5 === 0,
        })),
        { netns: ns.name, readBack: false },
      );
      assert.ok(made.every((o) => o.error === undefined));
      const delay = moment();
      await killedAfter(ns, ["del", ...names], delay);
      const where = `run ${i}, killed after ${delay} ms`;
      const left = noHalfMade(ns, undefined, where);
      assert.ok(left.every((n) => names.includes(n)), where);
      const again = run(ns, ["del", ...names]);
      assert.equal(again.code, 0, `${where}: ${again.stderr}`);
      assert.deepEqual(ns.ipTuntap(), [], where);
    }
  },
);

kernelTest(
  `batches of add and of del lines killed at ${RUNS} random moments converge`,
  async (ns) => {
    const names = Array.from({ length: COUNT }, (_, i) => `b${i}`);
    const dir = await Deno.makeTempDir({ prefix: "tuntap-kill-" });
    try {
      const add = `${dir}/add.batch`;
      const del = `${dir}/del.batch`;
      await Deno.writeTextFile(
        add,
        names.map((n, i) =>
          `tuntap add dev ${n} mode ${i % 2 ? "tun" : "tap"} user 4242 group 4343\n`
        )
          .join(""),
      );
      await Deno.writeTextFile(del, names.map((n) => `tuntap del dev ${n}\n`).join(""));
      for (let i = 0; i < RUNS; i++) {
        const addDelay = moment();
        await killedAfter(ns, ["-force", "-batch", add], addDelay);
        let where = `run ${i}: add killed after ${addDelay} ms`;
        noHalfMade(ns, "4242", where);
        // Run again: the devices made already fail with EBUSY, the others are made.
        run(ns, ["-force", "-batch", add]);
        assert.deepEqual(noHalfMade(ns, "4242", where), names, where);

        const delDelay = moment();
        await killedAfter(ns, ["-batch", del], delDelay);
        where = `run ${i}: del killed after ${delDelay} ms`;
        noHalfMade(ns, "4242", where);
        const again = run(ns, ["-batch", del]);
        assert.equal(again.code, 0, `${where}: ${again.stderr}`);
        assert.deepEqual(ns.ipTuntap(), [], where);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
