import assert from "node:assert/strict";
import {
  attachedProcesses,
  createTunTap,
  deleteTunTap,
  getTunTap,
  listTunTaps,
  TunTapError,
  type TunTapMode,
} from "../mod.ts";
import { codeOf, errorOf } from "./_assert.ts";
import { cliCommand, Holder, kernelTest, nobodyCheckout, sh } from "./_netns.ts";

/** The flag words `ip tuntap show` prints for a device (one_queue from sysfs, which we cannot read). */
function ipFlags(
  mode: TunTapMode,
  pi: boolean,
  oneQueue: boolean,
  mq: boolean,
  vnet: boolean,
): string[] {
  return [
    mode,
    ...(pi ? ["pi"] : []),
    ...(oneQueue ? ["one_queue"] : []),
    ...(mq ? ["multi_queue"] : []),
    ...(vnet ? ["vnet_hdr"] : []),
    "persist",
    ...(pi ? ["filter"] : []),
  ];
}

kernelTest("createTunTap() makes every flag combination of tun and tap", (ns) => {
  const expected = new Map<string, string[]>();
  for (const mode of ["tun", "tap"] as const) {
    for (let bits = 0; bits < 16; bits++) {
      const [pi, vnetHdr, multiQueue, oneQueue] = [1, 2, 4, 8].map((b) => (bits & b) !== 0) as [
        boolean,
        boolean,
        boolean,
        boolean,
      ];
      const name = `${mode}${bits}`;
      const device = createTunTap({
        name,
        mode,
        pi,
        vnetHdr,
        multiQueue,
        oneQueue,
        netns: ns.name,
      });
      assert.equal(device.name, name);
      assert.equal(device.mode, mode);
      assert.deepEqual([device.pi, device.vnetHdr, device.multiQueue, device.persist], [
        pi,
        vnetHdr,
        multiQueue,
        true,
      ]);
      assert.equal(device.owner, undefined);
      assert.equal(device.group, undefined);
      assert.equal(device.queues, multiQueue ? 0 : undefined);
      assert.equal(device.carrier, false);
      assert.equal(device.up, false);
      assert.equal(typeof device.mac, mode === "tap" ? "string" : "undefined");
      assert.deepEqual(getTunTap(name, { netns: ns.name }), device);
      expected.set(name, ipFlags(mode, pi, oneQueue, multiQueue, vnetHdr));
    }
  }
  const listed = listTunTaps({ netns: ns.name });
  assert.deepEqual(listed.map((d) => d.name), [...expected.keys()]);
  const ip = new Map(ns.ipTuntap().map((d) => [d.ifname, d.flags]));
  assert.deepEqual(ip, expected);
});

kernelTest("createTunTap() sets owner and group by number and by name", (ns) => {
  const nobody = Number(sh(["id", "-u", "nobody"]).stdout.trim());
  const daemon = Number(sh(["getent", "group", "daemon"]).stdout.split(":")[2]);
  const cases: [
    string,
    number | string | undefined,
    number | string | undefined,
    number | undefined,
    number | undefined,
  ][] = [
    ["n0", 1000, 100, 1000, 100],
    ["n1", "nobody", "daemon", nobody, daemon],
    ["n2", "root", "root", 0, 0],
    ["n3", " +5", " 7", 5, 7],
    ["n4", "-1", -1, undefined, undefined],
    ["n5", "4294967294", undefined, 4294967294, undefined],
    ["n6", undefined, 65534, undefined, 65534],
  ];
  for (const [name, owner, group, uid, gid] of cases) {
    const device = createTunTap({
      name,
      mode: "tun",
      netns: ns.name,
      ...(owner === undefined ? {} : { owner }),
      ...(group === undefined ? {} : { group }),
    });
    assert.equal(device.owner, uid, `${name} owner`);
    assert.equal(device.group, gid, `${name} group`);
  }
  const ip = ns.ipTuntap();
  for (const [name, , , uid, gid] of cases) {
    const entry = ip.find((d) => d.ifname === name);
    assert.ok(entry, name);
    assert.equal(entry.user, uid, `${name} ip user`);
    assert.equal(entry.group, gid, `${name} ip group`);
  }
});

kernelTest("createTunTap() returns the name the kernel chose for %d and empty names", (ns) => {
  const netns = ns.name;
  assert.equal(createTunTap({ mode: "tun", netns }).name, "tun0");
  assert.equal(createTunTap({ mode: "tun", name: "", netns }).name, "tun1");
  assert.equal(createTunTap({ mode: "tap", netns }).name, "tap0");
  assert.equal(createTunTap({ mode: "tun", name: "vpn%d", netns }).name, "vpn0");
  assert.equal(createTunTap({ mode: "tap", name: "vpn%d", netns }).name, "vpn1");
  assert.equal(createTunTap({ mode: "tun", name: "%d", netns }).name, "0");
  assert.deepEqual(ns.ipTuntap().map((d) => d.ifname), [
    "tun0",
    "tun1",
    "tap0",
    "vpn0",
    "vpn1",
    "0",
  ]);
});

kernelTest(
  "deleteTunTap() removes each kind, with or without the mode, and reports absent names",
  (ns) => {
    const netns = ns.name;
    createTunTap({ name: "a", mode: "tun", netns });
    createTunTap({ name: "b", mode: "tap", netns });
    createTunTap({ name: "c", mode: "tap", multiQueue: true, netns });
    createTunTap({ name: "d", mode: "tun", multiQueue: true, pi: true, owner: 1, group: 2, netns });
    createTunTap({ name: "e", mode: "tun", netns });
    assert.equal(deleteTunTap("a", { netns }), true);
    assert.equal(deleteTunTap("b", { mode: "tap", netns }), true);
    assert.equal(deleteTunTap("c", { mode: "tap", multiQueue: true, netns }), true);
    assert.equal(deleteTunTap("d", { netns }), true);
    assert.deepEqual(ns.ipTuntap().map((d) => d.ifname), ["e"]);
    assert.equal(deleteTunTap("e", { mode: "tun", multiQueue: false, netns }), true);
    assert.equal(deleteTunTap("a", { netns }), false);
    assert.equal(deleteTunTap("nosuch0", { mode: "tun", netns }), false);
    assert.deepEqual(listTunTaps({ netns }), []);
    assert.deepEqual(ns.ipTuntap(), []);
    // No scratch device was created and destroyed for the absent names (ip does that): nothing moved the index.
    assert.equal(createTunTap({ name: "f", mode: "tun", netns }).index, 7);
  },
);

kernelTest(
  "createTunTap() fails with EBUSY on an existing name and leaves it alone",
  async (ns) => {
    const netns = ns.name;
    const tn0 = createTunTap({ name: "tn0", mode: "tun", owner: 7, netns });
    const busy = errorOf(() => createTunTap({ name: "tn0", mode: "tap", netns }));
    assert.equal(busy.code, "EBUSY");
    assert.equal(busy.syscall, "ioctl(TUNSETIFF)");
    assert.match(busy.hint ?? "", /tn0 already exists \(tun persist user 7\)/);
    assert.deepEqual(getTunTap("tn0", { netns }), tn0);

    const lo = errorOf(() => createTunTap({ name: "lo", mode: "tun", netns }));
    assert.equal(lo.code, "EBUSY");
    assert.match(lo.hint ?? "", /lo already exists and is not a TUN\/TAP device/);

    assert.equal(ns.exec(["ip", "link", "add", "br0", "type", "bridge"]).code, 0);
    const bridge = errorOf(() => createTunTap({ name: "br0", mode: "tap", netns }));
    assert.equal(bridge.code, "EBUSY");
    assert.match(bridge.hint ?? "", /its kind is bridge/);

    const holder = await Holder.start(ns, "np0", "tun");
    try {
      const held = errorOf(() => createTunTap({ name: "np0", mode: "tun", netns }));
      assert.equal(held.code, "EBUSY");
      assert.equal(held.hint, `np0 already exists (tun), held open by deno(${holder.pid})`);
    } finally {
      await holder.release();
    }
    assert.deepEqual(ns.ipTuntap().map((d) => d.ifname), ["tn0"]);
  },
);

kernelTest(
  "deleteTunTap() fails with EINVAL on a wrong mode, a multi_queue mismatch or a non-tun name",
  (ns) => {
    const netns = ns.name;
    createTunTap({ name: "tn0", mode: "tun", netns });
    createTunTap({ name: "tq0", mode: "tap", multiQueue: true, netns });
    const wrongMode = errorOf(() => deleteTunTap("tn0", { mode: "tap", netns }));
    assert.equal(wrongMode.code, "EINVAL");
    assert.match(wrongMode.hint ?? "", /tn0 is a tun persist device/);
    assert.equal(
      codeOf(() => deleteTunTap("tq0", { mode: "tap", multiQueue: false, netns })),
      "EINVAL",
    );
    assert.equal(
      codeOf(() => deleteTunTap("tn0", { mode: "tun", multiQueue: true, netns })),
      "EINVAL",
    );
    const lo = errorOf(() => deleteTunTap("lo", { netns }));
    assert.equal(lo.code, "EINVAL");
    assert.match(lo.hint ?? "", /lo is not a TUN\/TAP device/);
    assert.equal(codeOf(() => deleteTunTap("lo", { mode: "tun", netns })), "EINVAL");
    assert.deepEqual(ns.ipTuntap().map((d) => d.ifname), ["tn0", "tq0"]);
  },
);

kernelTest(
  "deleteTunTap() refuses a held single-queue device and unpersists a held multi-queue one",
  async (ns) => {
    const netns = ns.name;
    createTunTap({ name: "th0", mode: "tun", netns });
    createTunTap({ name: "tq0", mode: "tap", multiQueue: true, netns });
    const sq = await Holder.start(ns, "th0", "tun");
    const mq = await Holder.start(ns, "tq0", "tap", 2, true);
    try {
      const busy = errorOf(() => deleteTunTap("th0", { netns }));
      assert.equal(busy.code, "EBUSY");
      assert.equal(
        busy.hint,
        `th0 is in use by deno(${sq.pid}): stop the holder first, or remove the link anyway with "ip link del th0"`,
      );
      assert.deepEqual(attachedProcesses(["th0"]).get("th0"), [{ pid: sq.pid, comm: "deno" }]);
      const held = attachedProcesses(listTunTaps({ netns }));
      assert.equal(held.get("th0")?.length, 1);
      assert.equal(held.get("tq0")?.length, 2);
      assert.equal(deleteTunTap("tq0", { mode: "tap", multiQueue: true, netns }), true);
      const tq0 = getTunTap("tq0", { netns });
      assert.ok(tq0, "a held multi-queue device stays");
      assert.equal(tq0.persist, false);
      assert.equal(tq0.queues, 2);
    } finally {
      await sq.release();
      await mq.release();
    }
    assert.equal(getTunTap("tq0", { netns }), undefined, "it goes with its last queue");
    assert.equal(getTunTap("th0", { netns })?.carrier, false);
    assert.deepEqual(ns.ipTuntap().map((d) => d.ifname), ["th0"]);
  },
);

kernelTest("listTunTaps() and getTunTap() filter, and ignore other kinds", (ns) => {
  const netns = ns.name;
  createTunTap({ name: "tn0", mode: "tun", netns });
  createTunTap({ name: "tp0", mode: "tap", netns });
  assert.equal(ns.exec(["ip", "link", "add", "br0", "type", "bridge"]).code, 0);
  assert.deepEqual(listTunTaps({ netns, mode: "tap" }).map((d) => d.name), ["tp0"]);
  assert.deepEqual(listTunTaps({ netns, name: "tn0" }).map((d) => d.name), ["tn0"]);
  assert.deepEqual(listTunTaps({ netns, name: "tn0", mode: "tap" }), []);
  assert.deepEqual(listTunTaps({ netns, name: "br0" }), []);
  assert.equal(getTunTap("br0", { netns }), undefined);
  assert.equal(getTunTap("lo", { netns }), undefined);
  assert.equal(getTunTap("nosuch", { netns }), undefined);
});

kernelTest("invalid names are refused before any system call, and nothing is created", (ns) => {
  const netns = ns.name;
  for (const name of ["a:b", ".", "..", "x%s", "%d%d", "à", "abcdefghijklmnop", "a b"]) {
    const error = errorOf(() => createTunTap({ name, mode: "tun", netns }));
    assert.equal(error.code, "EINVAL", name);
    assert.equal(error.syscall, "ioctl(TUNSETIFF)");
    assert.ok(error.hint, name);
  }
  assert.throws(() => createTunTap({ name: "x", mode: "tan" as TunTapMode, netns }), TypeError);
  assert.throws(
    () => createTunTap({ name: "x", mode: "tun", owner: "nosuchuser_x", netns }),
    TunTapError,
  );
  assert.deepEqual(ns.ipTuntap(), []);
});

kernelTest("an owner the kernel refuses leaves nothing behind (creation is atomic)", () => {
  // In a user namespace that maps only root, uid 1000 is unmapped: TUNSETOWNER fails after TUNSETIFF.
  const script = `
    import { createTunTap, listTunTaps } from "${new URL("../mod.ts", import.meta.url).href}";
    let code = "none";
    try { createTunTap({ name: "at0", mode: "tun", owner: 1000 }); } catch (e) { code = e.code + " " + e.syscall; }
    console.log(code, JSON.stringify(listTunTaps().map((d) => d.name)));
  `;
  const result = sh([
    "unshare",
    "--user",
    "--map-root-user",
    "--net",
    Deno.execPath(),
    "eval",
    script,
  ]);
  assert.equal(result.stderr, "");
  assert.equal(result.stdout, "EINVAL ioctl(TUNSETOWNER) []\n");
});

kernelTest("the CLI reports EPERM for an unprivileged user and changes nothing", (ns) => {
  // A private /dev/net/tun with mode 0666, inside the mount namespace of "ip netns exec" only;
  // a copy of the package uid 65534 can read, wherever the checkout is.
  const { root, denoDir } = nobodyCheckout();
  const command = [
    "sh",
    "-c",
    'mount -t tmpfs tmpfs /dev/net && mknod -m 0666 /dev/net/tun c 10 200 && exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"',
    "sh",
    ...cliCommand(root),
    "add",
    "mode",
    "tun",
  ];
  const result = ns.exec(command, { DENO_DIR: denoDir });
  assert.equal(result.code, 1);
  assert.equal(result.stdout, "");
  assert.equal(
    result.stderr,
    "ioctl(TUNSETIFF): Operation not permitted\n" +
      "  hint: creating a TUN/TAP device needs CAP_NET_ADMIN in the user namespace that owns the network namespace: run as root\n",
  );
  assert.deepEqual(ns.ipTuntap(), []);
});

kernelTest("the CLI reports a missing /dev/net/tun with a hint", (ns) => {
  const command = [
    "sh",
    "-c",
    'mount -t tmpfs tmpfs /dev/net && exec "$@"',
    "sh",
    ...cliCommand(),
    "add",
    "mode",
    "tun",
  ];
  const result = ns.exec(command);
  assert.equal(result.code, 1);
  assert.equal(
    result.stderr,
    "open: No such file or directory\n" +
      "  hint: /dev/net/tun does not exist: load the module (modprobe tun) or create the node (mknod /dev/net/tun c 10 200)\n",
  );
  assert.deepEqual(ns.ipTuntap(), []);
});

kernelTest("the CLI works inside a named namespace with -n, and lists what ip lists", (ns) => {
  const cli = (...args: string[]) => sh([...cliCommand(), "-n", ns.name, ...args]);
  assert.deepEqual(cli("add", "dev", "tap0", "mode", "tap", "user", "1000", "vnet_hdr"), {
    code: 0,
    stdout: "",
    stderr: "",
  });
  assert.deepEqual(cli("add", "mode", "tun", "name", "vpn%d"), { code: 0, stdout: "", stderr: "" });
  assert.deepEqual(cli("show"), {
    code: 0,
    stdout: "tap0: tap vnet_hdr persist user 1000\nvpn0: tun persist\n",
    stderr: "",
  });
  const ip = sh(["ip", "-n", ns.name, "-j", "tuntap", "show"]);
  assert.equal(cli("-j", "show").stdout, ip.stdout);
  assert.deepEqual(cli("del", "tap0"), { code: 0, stdout: "", stderr: "" });
  assert.deepEqual(cli("del", "mode", "tun", "vpn0"), { code: 0, stdout: "", stderr: "" });
  assert.deepEqual(ns.ipTuntap(), []);
});
