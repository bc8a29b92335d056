import assert from "node:assert/strict";
import { createTunTaps, TunTapError } from "../mod.ts";
import { cliCommand, kernelTest, runBatch, TestNetns } from "./_netns.ts";

kernelTest(
  "createTunTaps() creates each device as createTunTap() would, with one outcome each",
  (ns) => {
    const netns = ns.name;
    const outcomes = createTunTaps([
      { name: "a0", mode: "tun" },
      { name: "v%d", mode: "tap", vnetHdr: true },
      { name: "v%d", mode: "tap", multiQueue: true, owner: 1, group: 2 },
      { name: "a0", mode: "tap" }, // taken
      { name: "a:b", mode: "tun" }, // a name the kernel refuses
      { mode: "tun" },
    ], { netns });
    assert.deepEqual(
      outcomes.map((o) => [o.name, o.device?.name ?? null, o.error?.code ?? null]),
      [
        ["a0", "a0", null],
        ["v0", "v0", null],
        ["v1", "v1", null],
        ["a0", null, "EBUSY"],
        ["a:b", null, "EINVAL"],
        ["tun0", "tun0", null],
      ],
    );
    assert.ok(outcomes[3]?.error instanceof TunTapError);
    assert.equal(outcomes[3]?.error?.hint, "a0 already exists (tun persist)");
    const v1 = outcomes[2]?.device;
    assert.deepEqual([v1?.mode, v1?.multiQueue, v1?.owner, v1?.group], ["tap", true, 1, 2]);
    assert.deepEqual(ns.ipTuntap(), [
      { ifname: "a0", flags: ["tun", "persist"] },
      { ifname: "v0", flags: ["tap", "vnet_hdr", "persist"] },
      { ifname: "v1", flags: ["tap", "multi_queue", "persist"], user: 1, group: 2 },
      { ifname: "tun0", flags: ["tun", "persist"] },
    ]);

    // Stopping at the first failure leaves the later requests undone.
    const stopped = createTunTaps(
      [{ name: "b0", mode: "tun" }, { name: "a0", mode: "tun" }, { name: "b1", mode: "tun" }],
      { netns, stopOnError: true },
    );
    assert.deepEqual(stopped.map((o) => [o.name, o.error?.code ?? null]), [
      ["b0", null],
      ["a0", "EBUSY"],
    ]);
    assert.deepEqual(ns.ipTuntap().map((d) => d.ifname), ["a0", "v0", "v1", "tun0", "b0"]);

    // Without read-back, the outcomes carry the names the kernel gave.
    assert.deepEqual(createTunTaps([{ name: "v%d", mode: "tap" }], { netns, readBack: false }), [
      { name: "v2" },
    ]);
    assert.deepEqual(ns.ipTuntap().at(-1), { ifname: "v2", flags: ["tap", "persist"] });
  },
);

kernelTest(
  "a batch of add lines gives ip's results line by line, with and without -force",
  () => {
    const lines = [
      ...Array.from({ length: 30 }, (_, i) => `tuntap add mode tun name a${i}`),
      "tuntap add mode tap name a3", // taken: EBUSY
      "tuntap add name m0", // no mode
      "tuntap add mode tap name t%d",
      "tuntap add mode tap name t%d pi",
      "tap add dev q0 mode tap multi_queue user 1 group 2 vnet_hdr one_queue",
      "tuntap add mode tun",
      "tuntap add mode tun name z0 user no-such-user-here", // a parse error ends the batch
      "tuntap add mode tun name z1",
    ];
    for (const force of [false, true]) {
      const results = [];
      for (const command of [["ip"], cliCommand()]) {
        using space = TestNetns.create();
        results.push(runBatch(space, command, lines, force));
      }
      const [ip, tuntap] = results;
      assert.deepEqual(tuntap, ip, `force=${force}`);
      assert.equal(ip?.code, force ? 255 : 1);
    }
  },
);
