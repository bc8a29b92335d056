/**
 * Staying correct while other processes change links all the time: listing
 * commands succeed (iproute2's warning at worst), and a bulk delete removes
 * exactly its list, in one batch.
 */

import assert from "node:assert/strict";
import { createTunTaps } from "../mod.ts";
import { cliCommand, kernelTest, type Run, sh, type TestNetns } from "./_netns.ts";

const DEVICES = 2000;
const LIST = 300;
const WARNING = "Dump was interrupted and may be inconsistent.\n";

/** Three processes that create, delete and regroup links in `ns` until killed. */
function startChurn(ns: TestNetns): Deno.ChildProcess[] {
  const loops = [
    "while :; do ip link add churn0 type bridge; ip link del dev churn0; done",
    "while :; do ip link add churn1 type veth peer name churn2; ip link del dev churn1; done",
    "i=0; while :; do i=$((i + 1)); ip link set dev anchor group $((i % 100 + 1)); done",
  ];
  return loops.map((loop) =>
    new Deno.Command("ip", {
      args: ["netns", "exec", ns.name, "sh", "-c", loop],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn()
  );
}

async function stop(children: Deno.ChildProcess[]): Promise<void> {
  for (const child of children) child.kill("SIGKILL");
  await Promise.all(children.map((c) => c.status));
}

function cli(ns: TestNetns, ...args: string[]): Run {
  return sh([...cliCommand(), "-n", ns.name, ...args]);
}

/** The run succeeded; stderr holds at most iproute2's warning for an interrupted dump. */
function succeeded(run: Run, what: string): void {
  assert.equal(run.code, 0, `${what}: ${run.stderr}`);
  assert.ok(run.stderr === "" || run.stderr === WARNING, `${what}: ${run.stderr}`);
}

kernelTest(
  `show, -j show, info and a ${LIST}-name del stay correct on ${DEVICES} devices while links churn`,
  async (ns) => {
    const names = Array.from({ length: DEVICES }, (_, i) => `c${i}`);
    const made = createTunTaps(names.map((name) => ({ name, mode: "tun" as const })), {
      netns: ns.name,
      readBack: false,
    });
    assert.ok(made.every((o) => o.error === undefined));
    assert.equal(
      ns.exec([
        "sh",
        "-c",
        "ip link add anchor type bridge && ip link add v0 type veth peer name v1 && ip link set dev v0 group 5",
      ]).code,
      0,
    );
    const churn = startChurn(ns);
    let deleted: string[] = [];
    try {
      for (let round = 0; round < 4; round++) {
        succeeded(cli(ns, "show"), "show");
        const json = cli(ns, "-j", "show");
        succeeded(json, "-j show");
        assert.ok(Array.isArray(JSON.parse(json.stdout)));
        succeeded(cli(ns, "info", "mode", "tun"), "info");
      }
      for (let round = 0; round < 3; round++) {
        const list = names.slice(round * LIST, (round + 1) * LIST);
        const del = cli(ns, "del", ...list);
        // Exactly the list, in one batch: no absent name, no fall-back warning.
        assert.deepEqual([del.code, del.stderr], [0, ""], `del round ${round}`);
        deleted = deleted.concat(list);
      }
    } finally {
      await stop(churn);
    }
    const left = ns.ipTuntap().map((d) => d.ifname);
    const gone = new Set(deleted);
    assert.deepEqual(left, names.filter((n) => !gone.has(n)));
    const links = (ns.ipLinks() as { ifname: string; group?: string }[])
      .filter((l) => !l.ifname.startsWith("c") && !l.ifname.startsWith("churn"))
      .map((l) => `${l.ifname} ${l.group}`)
      .sort();
    assert.deepEqual(links.filter((l) => !l.startsWith("anchor")), [
      "lo default",
      "v0 5",
      "v1 default",
    ]);
    assert.ok(links.some((l) => l.startsWith("anchor ")), "the regrouped bridge survives");
  },
);
