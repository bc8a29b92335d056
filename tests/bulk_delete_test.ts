import assert from "node:assert/strict";
import { createTunTap, deleteTunTaps, getTunTap, setLink, TunTapError } from "../mod.ts";
import { cliCommand, Holder, kernelTest, runBatch, sh, TestNetns } from "./_netns.ts";

/** Every link of the namespace: name, kind and interface group, as ip reports them. */
function links(ns: TestNetns): string[] {
  return (ns.ipLinks() as { ifname: string; group?: string; linkinfo?: { info_kind?: string } }[])
    .map((l) => `${l.ifname} ${l.linkinfo?.info_kind ?? "-"} ${l.group ?? "-"}`)
    .sort();
}

/**
 * A link of a kind that is not tun, with no lower device: vxlan. (Not dummy
 * or ifb: loading their modules creates dummy0 or ifb0 and ifb1 in the
 * initial namespace.)
 */
function addOtherLink(ns: TestNetns, name: string): void {
  const added = ns.exec([
    "ip",
    "link",
    "add",
    name,
    "type",
    "vxlan",
    "id",
    "42",
    "dstport",
    "4789",
  ]);
  if (added.code !== 0) throw new Error(`Cannot create a vxlan link: ${added.stderr}`);
}

kernelTest(
  "deleteTunTaps() removes exactly the named devices, and links outside the set survive",
  (ns) => {
    const netns = ns.name;
    addOtherLink(ns, "d0");
    assert.equal(ns.exec(["ip", "link", "add", "br0", "type", "bridge"]).code, 0);
    assert.equal(
      ns.exec(["ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1"]).code,
      0,
    );
    assert.equal(ns.exec(["ip", "link", "set", "br0", "group", "7"]).code, 0);
    createTunTap({ name: "keep0", mode: "tun", netns });
    setLink("keep0", { up: true, netns });
    assert.equal(ns.exec(["ip", "link", "set", "keep0", "group", "9"]).code, 0);
    const doomed: string[] = [];
    for (let i = 0; i < 300; i++) {
      doomed.push(
        createTunTap({ name: `x${i}`, mode: i % 2 ? "tun" : "tap", multiQueue: i % 3 === 0, netns })
          .name,
      );
    }
    const survivors = links(ns).filter((l) => !l.startsWith("x"));
    const outcomes = deleteTunTaps([...doomed, "absent0"], { netns });
    assert.equal(outcomes.length, 301);
    assert.ok(outcomes.slice(0, 300).every((o) => o.deleted && o.error === undefined));
    assert.deepEqual(outcomes[300], { name: "absent0", deleted: false });
    assert.deepEqual(links(ns), survivors);
    assert.deepEqual(ns.ipTuntap().map((d) => d.ifname), ["keep0"]);
  },
);

kernelTest(
  "deleteTunTaps() treats held and mismatched devices as ip tuntap del does",
  async (ns) => {
    const netns = ns.name;
    for (const name of ["a0", "a1", "held0", "a2", "a3"]) {
      createTunTap({
        name,
        mode: "tun",
        netns,
      });
    }
    createTunTap({ name: "mq0", mode: "tap", multiQueue: true, netns });
    createTunTap({ name: "tap0", mode: "tap", netns });
    const sq = await Holder.start(ns, "held0", "tun");
    const mq = await Holder.start(ns, "mq0", "tap", 2, true);
    try {
      const outcomes = deleteTunTaps(
        ["a0", "a1", "held0", "mq0", { name: "tap0", mode: "tun" }, "a2"],
        { netns },
      );
      assert.deepEqual(outcomes.map((o) => [o.name, o.deleted, o.error?.code ?? null]), [
        ["a0", true, null],
        ["a1", true, null],
        ["held0", false, "EBUSY"],
        ["mq0", true, null],
        ["tap0", false, "EINVAL"],
        ["a2", true, null],
      ]);
      assert.equal(
        outcomes[2]?.error?.hint,
        `held0 is in use by deno(${sq.pid}): stop the holder first, or remove the link anyway with "ip link del held0"`,
      );
      // The held multi-queue device lost persistence and stays while its holder does.
      assert.deepEqual(getTunTap("mq0", { netns })?.persist, false);
      assert.deepEqual(ns.ipTuntap().map((d) => d.ifname).sort(), ["a3", "held0", "mq0", "tap0"]);

      // Stopping at the first failure leaves the later requests untouched.
      const stopped = deleteTunTaps(["held0", "a3"], { netns, stopOnError: true });
      assert.deepEqual(stopped.map((o) => [o.name, o.error?.code ?? null]), [["held0", "EBUSY"]]);
      assert.ok(getTunTap("a3", { netns }));
    } finally {
      await sq.release();
      await mq.release();
    }
    assert.equal(getTunTap("mq0", { netns }), undefined, "it went with its last holder");
    assert.deepEqual(ns.ipTuntap().map((d) => d.ifname).sort(), ["a3", "held0", "tap0"]);
  },
);

kernelTest(
  "a batch of del lines deletes in bulk with ip's results line by line, with and without -force",
  async (ns) => {
    using other = TestNetns.create();
    const names = Array.from({ length: 40 }, (_, i) => `d${i}`);
    const lines = [
      ...names.slice(0, 20).map((n) => `tuntap del mode tun name ${n}`),
      "tuntap del mode tun name held0",
      "tuntap del mode tap name d20", // d20 is a tun: EINVAL
      ...names.slice(21).map((n) => `tap del mode tun name ${n}`),
    ];
    for (const force of [false, true]) {
      const results = [];
      for (const [space, command] of [[ns, ["ip"]], [other, cliCommand()]] as const) {
        for (const name of [...names, "held0"]) {
          createTunTap({ name, mode: "tun", netns: space.name });
        }
        const holder = await Holder.start(space, "held0", "tun");
        try {
          results.push(runBatch(space, [...command], lines, force));
        } finally {
          await holder.release();
        }
        // Clean up whatever is left for the next round.
        deleteTunTaps([...names, "held0"], { netns: space.name });
      }
      const [ip, tuntap] = results;
      assert.deepEqual(tuntap, ip, `force=${force}`);
      assert.equal(ip?.code, 1);
    }
  },
);

kernelTest(
  "del NAME NAME... (a form ip rejects) skips absent names, and deletes none if one is not a tun of the mode",
  (ns) => {
    const cli = (...args: string[]) => sh([...cliCommand(), "-n", ns.name, ...args]);
    for (const name of ["tn0", "tn1", "tn2", "tp0", "tn3"]) {
      createTunTap({ name, mode: name.startsWith("tp") ? "tap" : "tun", netns: ns.name });
    }
    assert.equal(ns.exec(["ip", "link", "add", "br0", "type", "bridge"]).code, 0);
    const names = () => ns.ipTuntap().map((d) => d.ifname);
    // A link that is not a TUN/TAP device deletes nothing: a typo must not half-apply a list.
    assert.deepEqual(cli("del", "tn0", "tn1", "br0"), {
      code: 1,
      stdout: "",
      stderr:
        'Cannot delete devices: "br0" is not a TUN/TAP device (its kind is bridge)\n  hint: nothing was deleted\n',
    });
    // A device of the other mode deletes nothing either (D20's form).
    assert.deepEqual(cli("del", "mode", "tun", "name", "tn2", "tp0"), {
      code: 1,
      stdout: "",
      stderr: 'Cannot delete devices: "tp0" is tap, not tun\n  hint: nothing was deleted\n',
    });
    assert.deepEqual(names(), ["tn0", "tn1", "tn2", "tp0", "tn3"]);
    // Absent names are reported and skipped, so that a list run again after an
    // interruption finishes the job; in del, user and group are names, as in ip (D13).
    assert.deepEqual(cli("del", "mode", "tun", "name", "tn3", "user", "1"), {
      code: 0,
      stdout: "",
      stderr: 'Device "user" does not exist: skipped.\nDevice "1" does not exist: skipped.\n',
    });
    assert.deepEqual(cli("del", "tn0", "tn1", "tp0", "nosuch"), {
      code: 0,
      stdout: "",
      stderr: 'Device "nosuch" does not exist: skipped.\n',
    });
    assert.deepEqual(names(), ["tn2"]);
    assert.deepEqual(cli("del", "mode", "tun", "tn2", "tn2"), {
      code: 0,
      stdout: "",
      stderr: 'Device "tn2" does not exist: skipped.\n',
    });
    assert.deepEqual(names(), []);
  },
);

kernelTest("deleteTunTaps() with checkFirst checks every request before deleting any", (ns) => {
  const netns = ns.name;
  createTunTap({ name: "tn0", mode: "tun", netns });
  createTunTap({ name: "tq0", mode: "tap", multiQueue: true, netns });
  assert.equal(ns.exec(["ip", "link", "add", "br0", "type", "bridge"]).code, 0);
  const before = links(ns);
  const refused = (requests: Parameters<typeof deleteTunTaps>[0], message: string) => {
    assert.throws(() => deleteTunTaps(requests, { checkFirst: true, netns }), (error) => {
      assert.ok(error instanceof TunTapError);
      assert.equal(error.message, `Cannot delete devices: ${message}`);
      return true;
    });
    assert.deepEqual(links(ns), before);
  };
  refused(["tn0", "br0"], '"br0" is not a TUN/TAP device (its kind is bridge)');
  refused(
    ["tn0", { name: "tq0", mode: "tap", multiQueue: false }],
    '"tq0" is tap multi_queue, not tap',
  );
  refused(["tn0", "a/b", "nosuch0"], '"a/b": a name cannot contain "/"');
  assert.deepEqual(deleteTunTaps(["tn0", "nosuch0", "tq0"], { checkFirst: true, netns }), [
    { name: "tn0", deleted: true },
    { name: "nosuch0", deleted: false },
    { name: "tq0", deleted: true },
  ]);
  assert.deepEqual(ns.ipTuntap(), []);
});

kernelTest(
  "a del NAME NAME... line with a held device fails as a line: the others go, the batch stops",
  async (ns) => {
    for (const name of ["held0", "a0", "a1"]) createTunTap({ name, mode: "tun", netns: ns.name });
    const holder = await Holder.start(ns, "held0", "tun");
    try {
      const run = runBatch(ns, cliCommand(), ["del held0 a0", "del a1"], false);
      assert.deepEqual(run, {
        code: 1,
        stdout: "",
        stderr: "ioctl(TUNSETIFF): Device or resource busy\nCommand failed FILE:1\n",
        left: [{ ifname: "held0", flags: ["tun", "persist"] }, {
          ifname: "a1",
          flags: ["tun", "persist"],
        }],
      });
    } finally {
      await holder.release();
    }
  },
);
