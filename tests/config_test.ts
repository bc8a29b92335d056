/**
 * `tuntap apply` / `export` and the config library, in namespaces the tests
 * make; every outcome is read back through iproute2 (`ip -j -d link`,
 * `ip -j addr`).
 *
 * @module
 */

import assert from "node:assert/strict";
import { ConfigError, formatProblem, openQueue, parseConfig } from "../mod.ts";
import { ApplyLock } from "../lib/config/_lock.ts";
import { cliCommand, kernelTest, sh, type TestNetns } from "./_netns.ts";

interface IpLink {
  ifname: string;
  mtu: number;
  txqlen?: number;
  address?: string;
  master?: string;
  flags: string[];
  linkinfo?: Record<string, unknown>;
}

function links(ns: TestNetns): Map<string, IpLink> {
  return new Map((ns.ipLinks() as unknown as IpLink[]).map((l) => [l.ifname, l]));
}

function addresses(ns: TestNetns, name: string): string[] {
  const out = sh(["ip", "-n", ns.name, "-j", "addr", "show", "dev", name]);
  assert.equal(out.code, 0, out.stderr);
  const [entry] = JSON.parse(out.stdout) as {
    addr_info: { local: string; prefixlen: number; address?: string; scope: string }[];
  }[];
  return (entry?.addr_info ?? []).filter((a) => a.scope !== "link").map((a) =>
    `${a.local}/${a.prefixlen}${a.address && a.address !== a.local ? ` peer ${a.address}` : ""}`
  ).sort();
}

/** A temporary file holding `text`. */
function tempFile(text: string): string {
  const file = Deno.makeTempFileSync({ prefix: "tuntap-config-", suffix: ".yaml" });
  Deno.writeTextFileSync(file, text);
  return file;
}

function removeFiles(files: readonly string[]): void {
  for (const file of files) Deno.removeSync(file);
}

/** Writes a config into a temporary file and runs `apply` on it inside the namespace. */
function apply(ns: TestNetns, text: string, ...flags: string[]) {
  const file = Deno.makeTempFileSync({ prefix: "tuntap-config-", suffix: ".yaml" });
  try {
    Deno.writeTextFileSync(file, text);
    return ns.cli(["apply", file, ...flags]);
  } finally {
    Deno.removeSync(file);
  }
}

Deno.test("a config's problems are all reported with file, line, column and key", () => {
  const text = [
    "version: 1",
    "devices:",
    "  - name: tun0",
    "    mode: tun",
    "    mtuu: 1400",
    "    mac: 02:00:00:00:00:01",
    "  - name: tun0",
    "    mode: tun",
    "  - { name: a/b, mode: tup, mtu: 67, addresses: [10.0.0.1/33] }",
    "  - name: t1",
    "    mode: tun",
    "    mode: tap",
  ].join("\n");
  try {
    parseConfig(text, { file: "host.yaml" });
    assert.fail("no error");
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(error.problems.map(formatProblem), [
      "host.yaml:12:5: duplicated mapping key",
    ]);
  }
  try {
    parseConfig(text.split("\n").slice(0, -1).join("\n"), { file: "host.yaml" });
    assert.fail("no error");
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(error.problems.map(formatProblem), [
      'host.yaml:5:5: devices[0].mtuu: unknown key "mtuu"',
      "host.yaml:6:10: devices[0].mac: a tun device has no MAC address (only a tap has one)",
      'host.yaml:7:11: devices[1].name: a second device "tun0" (the first is devices[0])',
      'host.yaml:9:13: devices[2].name: a name cannot contain "/"',
      'host.yaml:9:24: devices[2].mode: must be tun or tap, not "tup"',
      "host.yaml:9:34: devices[2].mtu: must be an integer from 68 to 65535, not 67",
      'host.yaml:9:50: devices[2].addresses[0]: must be an address ADDR/LEN (IPv4 or IPv6), not "10.0.0.1/33"',
    ]);
  }
});

kernelTest("bad input changes nothing: apply exits 1 with the places, before acting", (ns) => {
  const good = "  - { name: ok0, mode: tun }\n";
  const cases: [string, RegExp][] = [
    [
      `version: 1\ndevices:\n${good}  - { name: x0, mode: tun, owner: no-such-user-x }\n`,
      /4:\d+: devices\[1\]\.owner: no such user "no-such-user-x"/,
    ],
    [
      `version: 1\ndevices:\n${good}  - { name: x0, mode: tun, netns: no-such-ns-x }\n`,
      /4:\d+: devices\[1\]\.netns: no network namespace "no-such-ns-x"/,
    ],
    [
      `version: 1\ndevices:\n${good}  - { name: x0, mode: tun, colour: red }\n`,
      /4:28: devices\[1\]\.colour: unknown key "colour"/,
    ],
    ["version: 1\ndevices: [\n", /\d+:\d+: /],
  ];
  for (const [text, message] of cases) {
    const run = apply(ns, text);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stderr, message);
    assert.doesNotMatch(run.stderr, /\n\s+at /); // no stack trace
  }
  assert.deepEqual(ns.ipTuntap(), []);
});

const BASE = `version: 1
devices:
  - name: tun0
    mode: tun
    mtu: 1400
    txqueuelen: 100
    up: true
    addresses: [10.7.0.1/24, { address: 10.8.0.1/32, peer: 10.8.0.2 }]
  - name: tap0
    mode: tap
    owner: 65534
    vnet_hdr: true
    mac: "02:00:00:00:aa:01"
    addresses: [fd00:7::1/64]
`;

kernelTest(
  "apply creates, a second apply has nothing to do (--detailed-exitcode 2, then 0)",
  (ns) => {
    const first = apply(ns, BASE, "--detailed-exitcode");
    assert.equal(first.code, 2, first.stderr);
    assert.match(first.stdout, /^Plan:\n {2}create tun0: not present; sets mtu 1400/);
    assert.match(
      first.stdout,
      /Summary: created 2, changed 0, re-created 0, moved 0, deleted 0, unchanged 0\.\n$/,
    );
    const found = links(ns);
    const tun = found.get("tun0") as IpLink;
    assert.equal(tun.mtu, 1400);
    assert.equal(tun.txqlen, 100);
    assert.ok(tun.flags.includes("UP"));
    const tap = found.get("tap0") as IpLink;
    assert.equal(tap.address, "02:00:00:00:aa:01");
    assert.ok(!tap.flags.includes("UP"));
    assert.deepEqual(ns.ipTuntap().map((d) => [d.ifname, d.flags, d.user]).sort(), [
      ["tap0", ["tap", "vnet_hdr", "persist"], 65534],
      ["tun0", ["tun", "persist"], undefined],
    ]);
    assert.deepEqual(addresses(ns, "tun0"), ["10.7.0.1/24", "10.8.0.1/32 peer 10.8.0.2"]);
    assert.deepEqual(addresses(ns, "tap0"), ["fd00:7::1/64"]);
    const second = apply(ns, BASE, "--detailed-exitcode");
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.equal(
      second.stdout,
      "Plan: nothing to do.\nSummary: created 0, changed 0, re-created 0, moved 0, deleted 0, unchanged 2.\n",
    );
    const json = apply(ns, BASE, "-j");
    assert.equal(json.code, 0);
    assert.deepEqual(JSON.parse(json.stdout), {
      changed: false,
      dry_run: false,
      actions: [],
      unchanged: 2,
      errors: [],
    });
  },
);

kernelTest("each kind of change is made, and checked through iproute2", (ns) => {
  assert.equal(apply(ns, BASE).code, 0);
  sh(["ip", "-n", ns.name, "link", "add", "br7", "type", "bridge"]);
  const changed = BASE
    .replace("mtu: 1400", "mtu: 1300")
    .replace("txqueuelen: 100", "txqueuelen: 200")
    .replace("[10.7.0.1/24, ", "[10.7.0.9/24, ")
    .replace("owner: 65534", "owner: 65533\n    group: 65534\n    pi: true")
    .replace('mac: "02:00:00:00:aa:01"', 'mac: "02:00:00:00:aa:02"\n    master: br7');
  const run = apply(ns, changed, "-j", "--detailed-exitcode");
  assert.equal(run.code, 2, run.stdout + run.stderr);
  const report = JSON.parse(run.stdout);
  assert.deepEqual(
    report.actions.map((
      a: { action: string; name: string; outcome: string },
    ) => [a.action, a.name, a.outcome]),
    [["change", "tun0", "done"], ["change", "tap0", "done"]],
  );
  assert.deepEqual(report.actions[0].changes, [
    { key: "mtu", from: 1400, to: 1300 },
    { key: "txqueuelen", from: 100, to: 200 },
    { key: "addresses", from: ["10.7.0.1/24"], to: ["10.7.0.9/24"] },
  ]);
  const found = links(ns);
  assert.equal(found.get("tun0")?.mtu, 1300);
  assert.equal(found.get("tun0")?.txqlen, 200);
  assert.equal(found.get("tap0")?.address, "02:00:00:00:aa:02");
  assert.equal(found.get("tap0")?.master, "br7");
  assert.deepEqual(addresses(ns, "tun0"), ["10.7.0.9/24", "10.8.0.1/32 peer 10.8.0.2"]);
  const tap = ns.ipTuntap().find((d) => d.ifname === "tap0");
  assert.deepEqual([tap?.flags, tap?.user, tap?.group], [
    ["tap", "pi", "vnet_hdr", "persist", "filter"],
    65533,
    65534,
  ]);
  // Mode change: re-create, keeping the link settings the file does not manage.
  const remade = apply(
    ns,
    changed.replace("name: tun0\n    mode: tun", "name: tun0\n    mode: tap").replace(
      "    txqueuelen: 200\n",
      "",
    ),
    "-j",
  );
  assert.equal(remade.code, 0, remade.stdout + remade.stderr);
  assert.deepEqual(
    JSON.parse(remade.stdout).actions.map((
      a: { action: string; reason: string },
    ) => [a.action, a.reason]),
    [["recreate", "mode tun -> tap"]],
  );
  assert.deepEqual(ns.ipTuntap().find((d) => d.ifname === "tun0")?.flags, ["tap", "persist"]);
  assert.equal(links(ns).get("tun0")?.txqlen, 200);
  assert.equal(links(ns).get("tun0")?.mtu, 1300);
});

kernelTest("a device wanted in another namespace is moved there", (ns) => {
  using other = (() => {
    const name = `${ns.name}-b`;
    sh(["ip", "netns", "add", name]);
    return { name, [Symbol.dispose]: () => sh(["ip", "netns", "del", name]) };
  })();
  assert.equal(
    apply(ns, "version: 1\ndevices:\n  - { name: mv0, mode: tap, mtu: 1234 }\n").code,
    0,
  );
  const text =
    `version: 1\ndevices:\n  - { name: mv0, mode: tap, netns: ${other.name}, addresses: [10.9.0.1/24], up: true }\n`;
  const run = apply(ns, text, "-j");
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(JSON.parse(run.stdout).actions.map((a: { action: string }) => a.action), [
    "move",
  ]);
  assert.deepEqual(ns.ipTuntap(), []);
  const moved =
    JSON.parse(sh(["ip", "-n", other.name, "-j", "-d", "link", "show", "mv0"]).stdout)[0];
  assert.equal(moved.mtu, 1234);
  assert.ok(moved.flags.includes("UP"));
  const addr = JSON.parse(sh(["ip", "-n", other.name, "-j", "addr", "show", "mv0"]).stdout)[0];
  assert.deepEqual(
    addr.addr_info.filter((a: { scope: string }) => a.scope === "global").map((
      a: { local: string },
    ) => a.local),
    ["10.9.0.1"],
  );
});

kernelTest("--prune deletes only TUN/TAP devices of the namespaces the file names", (ns) => {
  using other = (() => {
    const name = `${ns.name}-p`;
    sh(["ip", "netns", "add", name]);
    return { name, [Symbol.dispose]: () => sh(["ip", "netns", "del", name]) };
  })();
  for (
    const line of [
      "link add vx0 type vxlan id 42 dstport 4789",
      "link add br0 type bridge",
      "link add ve0 type veth peer name ve1",
      "tuntap add old0 mode tun",
      "tuntap add old1 mode tap",
    ]
  ) assert.equal(sh(["ip", "-n", ns.name, ...line.split(" ")]).code, 0, line);
  assert.equal(sh(["ip", "-n", other.name, "tuntap", "add", "keep0", "mode", "tun"]).code, 0);
  const text = "version: 1\ndevices:\n  - { name: tun0, mode: tun }\n";
  const dry = apply(ns, text, "--prune", "--dry-run", "--detailed-exitcode");
  assert.equal(dry.code, 2, dry.stderr);
  assert.match(dry.stdout, /delete old0: not in the config \(prune\)/);
  assert.equal(ns.ipTuntap().length, 2); // a dry run changes nothing
  const run = apply(ns, text, "--prune");
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual([...links(ns).keys()].sort(), ["br0", "lo", "tun0", "ve0", "ve1", "vx0"]);
  assert.deepEqual(
    sh(["ip", "-n", other.name, "-j", "tuntap", "show"]).stdout.includes("keep0"),
    true,
  );
});

kernelTest("a held device is not re-created or pruned without --force", async (ns) => {
  assert.equal(apply(ns, "version: 1\ndevices:\n  - { name: held0, mode: tun }\n").code, 0);
  const queue = openQueue("held0", { netns: ns.name });
  try {
    const run = apply(ns, "version: 1\ndevices:\n  - { name: held0, mode: tap }\n");
    assert.equal(run.code, 1);
    assert.match(run.stdout, /refused: re-create held0: a process holds held0/);
    assert.deepEqual(ns.ipTuntap().map((d) => d.flags), [["tun", "persist"]]);
    const pruned = apply(ns, "version: 1\ndevices:\n  - { name: other0, mode: tun }\n", "--prune");
    assert.equal(pruned.code, 1);
    assert.ok(ns.ipTuntap().some((d) => d.ifname === "held0"));
    // Even forced, the kernel gives a held single-queue device no second
    // descriptor, so it cannot be deleted: said clearly, nothing changed.
    const forced = apply(ns, "version: 1\ndevices:\n  - { name: held0, mode: tap }\n", "--force");
    assert.equal(forced.code, 1, forced.stdout + forced.stderr);
    assert.match(forced.stdout, /FAILED: re-create held0: Cannot delete device "held0".*EBUSY/);
    assert.deepEqual(ns.ipTuntap().filter((d) => d.ifname === "held0").map((d) => d.flags), [[
      "tun",
      "persist",
    ]]);
  } finally {
    await queue[Symbol.asyncDispose]();
  }
  const after = apply(ns, "version: 1\ndevices:\n  - { name: held0, mode: tap }\n");
  assert.equal(after.code, 0, after.stdout + after.stderr);
  assert.deepEqual(ns.ipTuntap().filter((d) => d.ifname === "held0").map((d) => d.flags), [[
    "tap",
    "persist",
  ]]);
});

kernelTest(
  "export round trips: apply --dry-run of it has nothing to do; ip -batch rebuilds it",
  (ns) => {
    assert.equal(apply(ns, BASE).code, 0);
    const exported = ns.cli(["export"]);
    assert.equal(exported.code, 0, exported.stderr);
    const dry = apply(ns, exported.stdout, "--dry-run", "--detailed-exitcode");
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    const json = ns.cli(["export", "--format", "json"]);
    assert.equal(apply(ns, json.stdout, "--dry-run", "--detailed-exitcode").code, 0);
    const batch = ns.cli(["export", "--format", "ip"]);
    assert.equal(batch.code, 0, batch.stderr);
    const name = `${ns.name}-r`;
    sh(["ip", "netns", "add", name]);
    try {
      const file = Deno.makeTempFileSync();
      Deno.writeTextFileSync(file, batch.stdout);
      const rebuilt = sh(["ip", "-n", name, "-batch", file]);
      Deno.removeSync(file);
      assert.equal(rebuilt.code, 0, rebuilt.stderr);
      const again = sh(["ip", "netns", "exec", name, ...cliCommand(), "export"]);
      assert.equal(again.stdout, exported.stdout);
    } finally {
      sh(["ip", "netns", "del", name]);
    }
  },
);

kernelTest("apply - reads the config from stdin", (ns) => {
  const run = ns.cli(["apply", "-"], {
    stdin: "version: 1\ndevices:\n  - { name: in0, mode: tun }\n",
  });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(ns.ipTuntap().map((d) => d.ifname), ["in0"]);
});

kernelTest("two applies do not interleave: the lock names its holder; --wait waits", async (ns) => {
  const lock = await ApplyLock.take(0);
  try {
    const refused = apply(ns, "version: 1\ndevices:\n  - { name: l0, mode: tun }\n");
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`another apply is running \\(pid ${Deno.pid}\\)`));
    assert.deepEqual(ns.ipTuntap(), []);
  } finally {
    lock.close();
  }
  const file = tempFile("version: 1\ndevices:\n  - { name: l0, mode: tun }\n");
  const held = await ApplyLock.take(0);
  const waiting = new Deno.Command("ip", {
    args: ["netns", "exec", ns.name, ...cliCommand(), "apply", file, "--wait", "30"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  await new Promise((resolve) => setTimeout(resolve, 500));
  held.close();
  const result = await waiting;
  removeFiles([file]);
  assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
  assert.deepEqual(ns.ipTuntap().map((d) => d.ifname), ["l0"]);
});

/** A config of `count` devices named PREFIX0…, each with an address and up. */
function many(prefix: string, count: number, mode = "tun"): string {
  let text = "version: 1\ndevices:\n";
  for (let i = 0; i < count; i++) {
    text += `  - { name: ${prefix}${i}, mode: ${mode}, up: true, addresses: [10.${(i >> 8) + 100}.${
      i & 255
    }.1/32] }\n`;
  }
  return text;
}

kernelTest("apply killed with SIGKILL at random moments converges when run again", async (ns) => {
  const text = many("k", 200);
  const file = tempFile(text);
  const alternate = tempFile(many("k", 200, "tap"));
  try {
    for (let run = 0; run < 20; run++) {
      const child = new Deno.Command("ip", {
        // Alternate the mode, so that runs also die in the middle of re-creates.
        args: [
          "netns",
          "exec",
          ns.name,
          ...cliCommand(),
          "apply",
          run % 2 ? alternate : file,
          "--wait",
          "30",
        ],
        stdout: "null",
        stderr: "null",
      }).spawn();
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 1500));
      try {
        child.kill("SIGKILL");
      } catch { /* it had finished */ }
      await child.status;
    }
    const final = ns.cli(["apply", file, "--prune", "--wait", "30"]);
    assert.equal(final.code, 0, final.stdout + final.stderr);
    const again = ns.cli(["apply", file, "--prune", "--detailed-exitcode"]);
    assert.equal(again.code, 0, again.stdout);
    const devices = ns.ipTuntap();
    assert.equal(devices.length, 200);
    assert.ok(devices.every((d) => d.flags.join() === "tun,persist"));
    const up = [...links(ns).values()].filter((l) =>
      l.ifname.startsWith("k") && l.flags.includes("UP")
    );
    assert.equal(up.length, 200);
    assert.deepEqual([...links(ns).keys()].filter((n) => !n.startsWith("k")), ["lo"]);
  } finally {
    removeFiles([file, alternate]);
  }
});

kernelTest(
  "concurrent applies of overlapping files: all succeed, the end state is one file's",
  async (ns) => {
    const texts = [many("r", 30), many("r", 30, "tap"), many("r", 40)];
    const files = texts.map(tempFile);
    try {
      const runs = await Promise.all(files.map((file) =>
        new Deno.Command("ip", {
          args: [
            "netns",
            "exec",
            ns.name,
            ...cliCommand(),
            "apply",
            file,
            "--prune",
            "--wait",
            "60",
          ],
          stdout: "piped",
          stderr: "piped",
        }).output()
      ));
      for (const run of runs) assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
      const state = ns.ipTuntap().map((d) => `${d.ifname} ${d.flags[0]}`).sort();
      const wanted = texts.map((text) =>
        parseConfig(text).devices.map((d) => `${d.name} ${d.mode}`).sort()
      );
      assert.ok(wanted.some((w) => JSON.stringify(w) === JSON.stringify(state)), state.join());
    } finally {
      removeFiles(files);
    }
  },
);
