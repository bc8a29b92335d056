/**
 * `tuntap doctor`: the renderers on fixed findings (no privileges), then
 * the real outcomes in namespaces the tests make: root, uid 65534, a user
 * namespace that does not own the network namespace, and no /dev/net/tun.
 *
 * @module
 */

import assert from "node:assert/strict";
import { renderDoctorJson, renderDoctorText } from "../lib/cli/_doctor.ts";
import { type Diagnosis, featureNames } from "../lib/diagnose/_doctor.ts";
import { runCli } from "./_cli.ts";
import { cliCommand, kernelTest, nobodyCheckout, type Run, sh, type TestNetns } from "./_netns.ts";

/** What `-j doctor` prints: the parts the tests read. */
interface Report {
  schema: number;
  "can_create": boolean;
  kernel: string | null;
  features: string[] | null;
  uid: number | null;
  euid: number | null;
  "cap_net_admin": boolean;
  netns: string | null;
  "netns_inode": number;
  checks: {
    name: string;
    ok: boolean;
    status: string;
    required: boolean;
    detail: string;
    hint: string | null;
  }[];
}

/** The report of a run, after checking it printed only that. */
function reportOf(run: Run): Report {
  assert.equal(run.stderr, "");
  assert.ok(run.stdout.endsWith("}\n"), run.stdout);
  return JSON.parse(run.stdout);
}

/** The finding of a check. */
function check(report: Report, name: string): Report["checks"][number] {
  const found = report.checks.find((c) => c.name === name);
  assert.ok(found, `no check ${name} in ${JSON.stringify(report.checks.map((c) => c.name))}`);
  return found;
}

/** The outcome of each check, by name. */
function statuses(report: Report): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.name, c.status]));
}

const NAMES = [
  "kernel",
  "tun driver",
  "/dev/net/tun",
  "open",
  "TUNGETFEATURES",
  "IFLA_TUN",
  "user",
  "CAP_NET_ADMIN",
  "user namespaces",
  "network namespace",
];

const CAP_HINT =
  "creating a TUN/TAP device needs CAP_NET_ADMIN in the user namespace that owns the network namespace: run as root";

Deno.test("featureNames() names the TUNGETFEATURES bits of each kernel era, and unknown bits in hex", () => {
  assert.deepEqual(featureNames(0x7173), [
    "tun",
    "tap",
    "no_pi",
    "one_queue",
    "vnet_hdr",
    "multi_queue",
    "napi",
    "napi_frags",
    "no_carrier",
  ]);
  assert.deepEqual(featureNames(0x7103), [
    "tun",
    "tap",
    "no_pi",
    "one_queue",
    "vnet_hdr",
    "multi_queue",
  ]);
  assert.deepEqual(featureNames(0x0080 | 0x0001), ["tun", "0x80"]);
});

const FIXED: Diagnosis = {
  canCreate: false,
  kernel: "6.18.0",
  features: ["tun", "tap"],
  uid: 1000,
  euid: 1000,
  capNetAdmin: false,
  netns: null,
  netnsInode: 4026531840,
  checks: [
    {
      name: "kernel",
      ok: true,
      status: "ok",
      required: false,
      detail: "Linux 6.18.0",
      hint: undefined,
    },
    {
      name: "CAP_NET_ADMIN",
      ok: false,
      status: "fail",
      required: true,
      detail: "not in the effective set (CapEff 0000000000000000)",
      hint: "run as root",
    },
    {
      name: "user namespaces",
      ok: false,
      status: "warn",
      required: false,
      detail: "unprivileged users may not create them (user.max_user_namespaces 0)",
      hint: "allow them",
    },
    {
      name: "TUNGETFEATURES",
      ok: false,
      status: "skip",
      required: true,
      detail: "not asked: /dev/net/tun did not open",
      hint: undefined,
    },
  ],
};

Deno.test("doctor's text: a finding per line, a hint under each problem, then the verdict", () => {
  assert.equal(
    renderDoctorText(FIXED),
    "ok    kernel: Linux 6.18.0\n" +
      "FAIL  CAP_NET_ADMIN: not in the effective set (CapEff 0000000000000000)\n" +
      "      hint: run as root\n" +
      "warn  user namespaces: unprivileged users may not create them (user.max_user_namespaces 0)\n" +
      "      hint: allow them\n" +
      "skip  TUNGETFEATURES: not asked: /dev/net/tun did not open\n" +
      "TUN/TAP devices cannot be created here (CAP_NET_ADMIN).\n",
  );
  assert.equal(
    renderDoctorText({ ...FIXED, canCreate: true, checks: FIXED.checks.slice(0, 1) }),
    "ok    kernel: Linux 6.18.0\nTUN/TAP devices can be created here.\n",
  );
});

Deno.test("doctor's JSON: every key present, null where there is no value", () => {
  const text = renderDoctorJson({ ...FIXED, features: undefined, kernel: undefined }, false);
  assert.ok(text.endsWith("}\n") && !text.includes("\n "));
  const report: Report = JSON.parse(text);
  assert.deepEqual(Object.keys(report), [
    "schema",
    "can_create",
    "kernel",
    "features",
    "uid",
    "euid",
    "cap_net_admin",
    "netns",
    "netns_inode",
    "checks",
  ]);
  assert.equal(report.kernel, null);
  assert.equal(report.features, null);
  assert.deepEqual(report.checks[0], {
    name: "kernel",
    ok: true,
    status: "ok",
    required: false,
    detail: "Linux 6.18.0",
    hint: null,
  });
  assert.equal(report.checks[1]?.hint, "run as root");
  assert.equal(report.checks[3]?.hint, null);
  assert.ok(renderDoctorJson(FIXED, true).includes('\n    "can_create": false,\n'));
});

Deno.test("doctor rejects words other than -j and --json, with status 255", async () => {
  assert.deepEqual(await runCli(["doctor", "now"]), {
    status: 255,
    stdout: "",
    stderr: 'Error: either "doctor" is duplicate, or "now" is garbage.\n',
  });
});

kernelTest(
  "doctor as root in a namespace: exit 0, every required check passes, the namespace named",
  (ns) => {
    const run = ns.cli(["-j", "doctor"]);
    assert.equal(run.code, 0, run.stdout);
    const report = reportOf(run);
    assert.equal(report.schema, 1);
    assert.equal(report.can_create, true);
    assert.equal(report.cap_net_admin, true);
    assert.equal(report.uid, 0);
    assert.equal(report.euid, 0);
    assert.equal(report.netns, ns.name);
    assert.ok(report.netns_inode > 0);
    assert.deepEqual(report.checks.map((c) => c.name), NAMES);
    for (const c of report.checks.filter((c) => c.required)) {
      assert.equal(c.status, "ok", `${c.name}: ${c.detail}`);
      assert.equal(c.hint, null);
    }
    for (const feature of ["tun", "tap", "no_pi", "vnet_hdr", "multi_queue"]) {
      assert.ok(report.features?.includes(feature), `${feature} in ${report.features}`);
    }
    assert.equal(report.kernel, sh(["uname", "-r"]).stdout.trim());
    assert.match(
      check(report, "CAP_NET_ADMIN").detail,
      /^in the effective set \(CapEff [0-9a-f]{16}\), in the user namespace that owns the network namespace$/,
    );
    assert.match(
      check(report, "/dev/net/tun").detail,
      /^character device 10:200, mode 0[0-7]{3}, owner uid \d+ gid \d+: /,
    );
    assert.equal(
      check(report, "network namespace").detail,
      `net:[${report.netns_inode}], named "${ns.name}" in /run/netns`,
    );
    // The inode is the namespace's own, as the kernel names it.
    assert.equal(
      ns.exec(["readlink", "/proc/self/ns/net"]).stdout,
      `net:[${report.netns_inode}]\n`,
    );

    // `doctor -j`, `doctor --json` and -p; and `-n NAME` from outside, which creates nothing either.
    for (const args of [["doctor", "-j"], ["doctor", "--json"], ["-j", "-p", "doctor"]]) {
      const again = reportOf(ns.cli(args));
      assert.equal(again.netns, ns.name);
      assert.equal(again.can_create, true);
    }
    const outside = sh([...cliCommand(), "-n", ns.name, "-j", "doctor"]);
    assert.equal(outside.code, 0);
    assert.equal(reportOf(outside).netns, ns.name);
    assert.equal(reportOf(outside).netns_inode, report.netns_inode);

    const text = ns.cli(["doctor"]);
    assert.equal(text.code, 0);
    assert.equal(text.stderr, "");
    const lines = text.stdout.split("\n");
    assert.equal(lines.pop(), "");
    assert.equal(lines.pop(), "TUN/TAP devices can be created here.");
    assert.deepEqual(
      lines.filter((l) => !l.startsWith("      hint: ")).map((l) => l.slice(6, l.indexOf(": "))),
      NAMES,
    );
    assert.ok(lines.every((l) => /^(ok {4}|warn {2}| {6}hint: )/.test(l)), text.stdout);
    assert.ok(lines.includes(`ok    CAP_NET_ADMIN: ${check(report, "CAP_NET_ADMIN").detail}`));
    assert.deepEqual(ns.ipTuntap(), []);
  },
);

kernelTest("doctor as uid 65534: exit 1, CAP_NET_ADMIN fails with a hint", (ns) => {
  // A private /dev/net/tun with mode 0666 (in the mount namespace of "ip netns
  // exec" only), so that the capability is the one thing missing; a copy of
  // the package uid 65534 can read.
  const { root, denoDir } = nobodyCheckout();
  const nobody = (setup: string, ...args: string[]) =>
    ns.exec([
      "sh",
      "-c",
      `${setup}exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"`,
      "sh",
      ...cliCommand(root),
      ...args,
    ], { DENO_DIR: denoDir });
  const private0666 = "mount -t tmpfs tmpfs /dev/net && mknod -m 0666 /dev/net/tun c 10 200 && ";

  const json = nobody(private0666, "-j", "doctor");
  assert.equal(json.code, 1);
  const report = reportOf(json);
  assert.equal(report.can_create, false);
  assert.equal(report.cap_net_admin, false);
  assert.equal(report.uid, 65534);
  assert.equal(report.euid, 65534);
  assert.equal(report.netns, ns.name);
  assert.deepEqual(
    report.checks.filter((c) => c.status === "fail").map((c) => c.name),
    ["CAP_NET_ADMIN"],
  );
  const cap = check(report, "CAP_NET_ADMIN");
  assert.equal(cap.ok, false);
  assert.equal(cap.required, true);
  assert.equal(cap.detail, "not in the effective set (CapEff 0000000000000000)");
  assert.ok(cap.hint?.startsWith(CAP_HINT), cap.hint ?? "no hint");
  assert.equal(check(report, "open").status, "ok");
  assert.equal(check(report, "TUNGETFEATURES").status, "ok");
  assert.match(
    check(report, "/dev/net/tun").detail,
    /mode 0666, owner uid 0 gid 0: anyone may open it$/,
  );
  assert.equal(
    check(report, "user").detail,
    "uid 65534 euid 65534 gid 65534 egid 65534 groups none",
  );

  const text = nobody(private0666, "doctor");
  assert.equal(text.code, 1);
  assert.equal(text.stderr, "");
  const lines = text.stdout.split("\n");
  const at = lines.indexOf(
    "FAIL  CAP_NET_ADMIN: not in the effective set (CapEff 0000000000000000)",
  );
  assert.ok(at >= 0, text.stdout);
  assert.ok(lines[at + 1]?.startsWith(`      hint: ${CAP_HINT}`), lines[at + 1]);
  assert.equal(lines.at(-2), "TUN/TAP devices cannot be created here (CAP_NET_ADMIN).");

  // The node as it is (root's, 0600): it does not open either.
  const plain = nobody("", "-j", "doctor");
  assert.equal(plain.code, 1);
  const closed = reportOf(plain);
  assert.deepEqual(statuses(closed)["open"], "fail");
  assert.deepEqual(statuses(closed)["TUNGETFEATURES"], "skip");
  assert.equal(check(closed, "open").detail, "Cannot open /dev/net/tun: Permission denied");
  assert.match(check(closed, "open").hint ?? "", /not readable and writable by this user/);
  assert.deepEqual(ns.ipTuntap(), []);
});

/** Whether uid 65534 may make a user namespace here (the next test needs one). */
function unprivilegedUserns(ns: TestNetns): boolean {
  return ns.exec([
    "setpriv",
    "--reuid=65534",
    "--regid=65534",
    "--clear-groups",
    "unshare",
    "--user",
    "--map-root-user",
    "true",
  ]).code === 0;
}

kernelTest(
  "doctor in a user namespace that does not own the network namespace: CAP_NET_ADMIN does not count",
  (ns) => {
    if (!unprivilegedUserns(ns)) {
      // Not silently passed: say so, and check that doctor says so too.
      // deno-lint-ignore no-console
      console.error(
        "\n*** uid 65534 cannot create a user namespace here: checking doctor says so ***\n",
      );
      assert.equal(check(reportOf(ns.cli(["-j", "doctor"])), "user namespaces").status, "warn");
      return;
    }
    const { root, denoDir } = nobodyCheckout();
    const run = ns.exec([
      "sh",
      "-c",
      'mount -t tmpfs tmpfs /dev/net && mknod -m 0666 /dev/net/tun c 10 200 && exec setpriv --reuid=65534 --regid=65534 --clear-groups unshare --user --map-root-user "$@"',
      "sh",
      ...cliCommand(root),
      "-j",
      "doctor",
    ], { DENO_DIR: denoDir });
    assert.equal(run.code, 1);
    const report = reportOf(run);
    assert.equal(report.uid, 0);
    assert.equal(report.netns, ns.name);
    const cap = check(report, "CAP_NET_ADMIN");
    assert.equal(cap.status, "fail");
    assert.match(
      cap.detail,
      /^in the effective set \(CapEff [0-9a-f]+\), but the network namespace belongs to a user namespace above this process's$/,
    );
    assert.match(cap.hint ?? "", /unshare --user --map-root-user --net/);
    assert.match(check(report, "user").detail, /, in a user namespace \(uid_map 0 65534 1\)$/);
    assert.match(
      check(report, "/dev/net/tun").detail,
      /\(not mapped in this user namespace\): anyone may open it$/,
    );
  },
);

kernelTest("doctor without /dev/net/tun: exit 1, the node's finding fails with a hint", (ns) => {
  // "ip netns exec" runs in a mount namespace of its own: the tmpfs hides
  // /dev/net there only.
  const hidden = (setup: string, ...args: string[]) =>
    ns.exec(["sh", "-c", `${setup} && exec "$@"`, "sh", ...cliCommand(), ...args]);
  const json = hidden("mount -t tmpfs tmpfs /dev/net", "-j", "doctor");
  assert.equal(json.code, 1);
  const report = reportOf(json);
  assert.equal(report.can_create, false);
  assert.equal(report.features, null);
  assert.equal(report.cap_net_admin, true);
  assert.deepEqual(statuses(report), {
    ...statuses(report),
    "/dev/net/tun": "fail",
    open: "skip",
    TUNGETFEATURES: "skip",
    CAP_NET_ADMIN: "ok",
  });
  assert.deepEqual(
    report.checks.filter((c) => c.status === "fail").map((c) => c.name),
    ["/dev/net/tun"],
  );
  const node = check(report, "/dev/net/tun");
  assert.equal(node.detail, "Cannot stat /dev/net/tun: No such file or directory");
  assert.equal(
    node.hint,
    "/dev/net/tun does not exist: load the module (modprobe tun) or create the node (mknod /dev/net/tun c 10 200)",
  );

  const text = hidden("mount -t tmpfs tmpfs /dev/net", "doctor");
  assert.equal(text.code, 1);
  assert.ok(
    text.stdout.includes(
      "FAIL  /dev/net/tun: Cannot stat /dev/net/tun: No such file or directory\n" +
        "      hint: /dev/net/tun does not exist: load the module (modprobe tun) or create the node (mknod /dev/net/tun c 10 200)\n" +
        "skip  open: not tried: /dev/net/tun is not the tun device\n" +
        "skip  TUNGETFEATURES: not asked: /dev/net/tun did not open\n",
    ),
    text.stdout,
  );
  assert.ok(text.stdout.endsWith("TUN/TAP devices cannot be created here (/dev/net/tun).\n"));

  // A node that is something else is not opened, and says what it is.
  const other = reportOf(
    hidden("mount -t tmpfs tmpfs /dev/net && mknod -m 0666 /dev/net/tun c 1 3", "-j", "doctor"),
  );
  assert.equal(
    check(other, "/dev/net/tun").detail,
    "is the character device 1:3, not 10:200 (mode 0666, owner uid 0 gid 0)",
  );
  assert.match(check(other, "/dev/net/tun").hint ?? "", /mknod \/dev\/net\/tun c 10 200/);
  assert.equal(check(other, "open").status, "skip");
  assert.deepEqual(ns.ipTuntap(), []);
});
