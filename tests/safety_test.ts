/**
 * Never touching a device that was not named: bulk deletes under ifindex
 * reuse (made deterministic with test hooks), creation read-back under name
 * reuse, names with NUL bytes or bytes that are not UTF-8, and `-n` with a
 * file that is not a namespace.
 */

import assert from "node:assert/strict";
import {
  createTunTap,
  deleteTunTap,
  deleteTunTaps,
  getTunTap,
  listTunTaps,
  setLink,
  TunTapError,
} from "../mod.ts";
import { testHooks } from "../lib/_hooks.ts";
import { errorOf } from "./_assert.ts";
import { cliCommand, kernelTest, ROOT, type Run, sh, TestNetns } from "./_netns.ts";

interface IpLink {
  ifindex: number;
  ifname: string;
  group?: string;
  linkinfo?: { "info_kind"?: string };
}

function ipLinks(ns: TestNetns): IpLink[] {
  return ns.ipLinks() as unknown as IpLink[];
}

function must(run: Run): Run {
  assert.equal(run.code, 0, run.stderr);
  return run;
}

kernelTest(
  "a bulk delete whose device's index is taken by a new link meanwhile leaves that link alone",
  (ns) => {
    const netns = ns.name;
    const names = Array.from({ length: 20 }, (_, i) => `r${i}`);
    for (const name of names) createTunTap({ name, mode: "tun", netns });
    let victim: { name: string; index: number } | undefined;
    testHooks.beforeGroupMove = (moves) => {
      victim = moves[3];
      assert.ok(victim);
      // Another process deletes the device, and a bridge takes its index.
      must(ns.exec(["ip", "link", "del", "dev", victim.name]));
      must(ns.exec([
        "ip",
        "link",
        "add",
        "intruder",
        "index",
        String(victim.index),
        "group",
        "7",
        "type",
        "bridge",
      ]));
    };
    let outcomes;
    try {
      outcomes = deleteTunTaps(names, { netns });
    } finally {
      delete testHooks.beforeGroupMove;
    }
    assert.ok(victim);
    const intruder = ipLinks(ns).find((l) => l.ifname === "intruder");
    assert.ok(intruder, "the link that took the index survives");
    assert.equal(intruder.ifindex, victim.index);
    assert.equal(intruder.group, "7", "it is back in its own group");
    assert.deepEqual(
      outcomes.map((o) => [o.name, o.deleted, o.vanished ?? false, o.error?.code ?? null]),
      names.map((n) => [n, n !== victim?.name, n === victim?.name, null]),
    );
    assert.deepEqual(ns.ipTuntap(), []);
  },
);

kernelTest(
  "a bulk delete whose device's index is taken by a link moved in from another namespace leaves it alone",
  (ns) => {
    const netns = ns.name;
    using other = TestNetns.create();
    const names = Array.from({ length: 10 }, (_, i) => `m${i}`);
    for (const name of names) {
      createTunTap({ name, mode: "tap", multiQueue: i(name) % 2 === 0, netns });
    }
    must(ns.exec(["ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1"]));
    let victim: { name: string; index: number } | undefined;
    testHooks.beforeGroupMove = (moves) => {
      victim = moves[moves.length - 1];
      assert.ok(victim);
      must(other.exec([
        "ip",
        "link",
        "add",
        "mover",
        "index",
        String(victim.index),
        "group",
        "9",
        "type",
        "veth",
        "peer",
        "name",
        "mpeer",
      ]));
      must(ns.exec(["ip", "link", "del", "dev", victim.name]));
      must(other.exec(["ip", "link", "set", "mover", "netns", netns]));
    };
    let outcomes;
    try {
      outcomes = deleteTunTaps(names, { netns });
    } finally {
      delete testHooks.beforeGroupMove;
    }
    assert.ok(victim);
    const links = ipLinks(ns);
    const mover = links.find((l) => l.ifname === "mover");
    assert.ok(mover, "the link moved in survives");
    assert.equal(mover.ifindex, victim.index, "it kept its index");
    assert.equal(mover.group, "9");
    assert.deepEqual(links.map((l) => l.ifname).sort(), ["lo", "mover", "v0", "v1"]);
    const gone = outcomes.find((o) => o.name === victim?.name);
    assert.deepEqual(gone, { name: victim.name, deleted: false, vanished: true });
    assert.ok(outcomes.every((o) => o === gone || (o.deleted && o.error === undefined)));
  },
);

function i(name: string): number {
  return Number(name.slice(1));
}

kernelTest(
  "a bulk delete leaves a device renamed or moved away meanwhile alone, and says so",
  (ns) => {
    const netns = ns.name;
    using other = TestNetns.create();
    const names = ["w0", "w1", "w2", "w3", "w4"];
    for (const name of names) createTunTap({ name, mode: "tun", netns });
    testHooks.beforeGroupMove = () => {
      must(ns.exec(["ip", "link", "set", "w1", "name", "renamed"]));
      must(ns.exec(["ip", "link", "set", "w3", "netns", other.name]));
    };
    let outcomes;
    try {
      outcomes = deleteTunTaps(names, { netns });
    } finally {
      delete testHooks.beforeGroupMove;
    }
    const summary = outcomes.map((o) => [o.name, o.deleted, o.error?.code ?? null]);
    assert.deepEqual(summary, [
      ["w0", true, null],
      ["w1", false, "ESTALE"],
      ["w2", true, null],
      ["w3", false, "ESTALE"],
      ["w4", true, null],
    ]);
    assert.equal(
      outcomes[1]?.error?.message,
      'Cannot delete device "w1": it was renamed to "renamed" while it was being deleted',
    );
    assert.equal(
      outcomes[3]?.error?.message,
      'Cannot delete device "w3": it moved to another network namespace while it was being deleted',
    );
    // Both are still there, persistent, in their groups.
    assert.deepEqual(ns.ipTuntap(), [{ ifname: "renamed", flags: ["tun", "persist"] }]);
    assert.deepEqual(other.ipTuntap(), [{ ifname: "w3", flags: ["tun", "persist"] }]);
    assert.ok(ipLinks(ns).every((l) => l.group === "default"));
  },
);

kernelTest(
  "createTunTap() reports a device replaced before it was read back, never the replacement",
  (ns) => {
    const netns = ns.name;
    testHooks.beforeReadBack = (name) => {
      must(ns.exec(["ip", "link", "del", "dev", name]));
      must(ns.exec(["ip", "tuntap", "add", "mode", "tap", "name", name]));
    };
    try {
      const error = errorOf(() => createTunTap({ name: "cr0", mode: "tun", netns }));
      assert.equal(error.code, "ENODEV");
      assert.match(error.hint ?? "", /cr0 vanished right after it was created/);
    } finally {
      delete testHooks.beforeReadBack;
    }
    assert.equal(getTunTap("cr0", { netns })?.mode, "tap");
  },
);

kernelTest("names with a NUL byte are refused by the library, and nothing changes", (ns) => {
  const netns = ns.name;
  createTunTap({ name: "vic", mode: "tun", netns });
  createTunTap({ name: "x", mode: "tun", netns });
  const refused = [
    () => createTunTap({ name: "x\0y", mode: "tun", netns }),
    () => deleteTunTap("vic\0other", { netns }),
    () => deleteTunTaps(["vic\0other"], { netns }),
    () => getTunTap("vic\0", { netns }),
    () => listTunTaps({ name: "vic\0", netns }),
    () => setLink("vic\0x", { up: true, netns }),
    () => setLink("vic", { name: "a\0b", netns }),
  ];
  for (const call of refused) assert.throws(call, TypeError);
  assert.deepEqual(ns.ipTuntap().map((d) => d.ifname), ["vic", "x"]);
});

/** `ip tuntap show` of a namespace, as bytes written `\xNN` where not printable ASCII. */
function rawShow(command: string[]): string {
  const result = new Deno.Command(command[0] as string, { args: command.slice(1) }).outputSync();
  assert.equal(result.code, 0);
  return escapeBytes(result.stdout);
}

function escapeBytes(bytes: Uint8Array): string {
  return Array.from(
    bytes,
    (b) =>
      b >= 0x20 && b < 0x7f && b !== 0x5c
        ? String.fromCharCode(b)
        : `\\x${b.toString(16).padStart(2, "0")}`,
  ).join("");
}

kernelTest(
  "names that are not UTF-8 keep their bytes through the library, argv and batch files",
  (ns) => {
    const netns = ns.name;
    // Made by iproute2: the bytes \xc3 (a cut UTF-8 sequence), \xff and \xfe.
    for (const name of ["ok\\303", "a\\377b", "a\\376b", "keep\\351"]) {
      must(sh(["sh", "-c", `ip -n ${netns} tuntap add mode tun name "$(printf '${name}')"`]));
    }
    const ipShow = ["ip", "-n", netns, "tuntap", "show"];
    const before = rawShow(ipShow);
    assert.equal(
      before,
      "ok\\xc3: tun persist\\x0aa\\xffb: tun persist\\x0aa\\xfeb: tun persist\\x0akeep\\xe9: tun persist\\x0a",
    );
    // The library sees four different names, each byte escaped as U+DC80-U+DCFF.
    assert.deepEqual(listTunTaps({ netns }).map((d) => d.name), [
      "ok\udcc3",
      "a\udcffb",
      "a\udcfeb",
      "keep\udce9",
    ]);
    // Plain show prints the same bytes as ip; JSON escapes them as \udcXX.
    assert.equal(rawShow([...cliCommand(), "-n", netns, "show"]), before);
    assert.equal(
      sh([...cliCommand(), "-n", netns, "-j", "show"]).stdout,
      '[{"ifname":"ok\\udcc3","flags":["tun","persist"]},{"ifname":"a\\udcffb","flags":["tun","persist"]},' +
        '{"ifname":"a\\udcfeb","flags":["tun","persist"]},{"ifname":"keep\\udce9","flags":["tun","persist"]}]\n',
    );
    // argv: the exact bytes name the device; the look-alike survives.
    const del = sh([
      "sh",
      "-c",
      `"$@" del "$(printf 'a\\377b')"`,
      "sh",
      ...cliCommand(),
      "-n",
      netns,
    ]);
    assert.deepEqual([del.code, del.stderr], [0, ""]);
    assert.equal(
      rawShow(ipShow),
      "ok\\xc3: tun persist\\x0aa\\xfeb: tun persist\\x0akeep\\xe9: tun persist\\x0a",
    );
    // The library, with the escaped spelling.
    assert.equal(deleteTunTap("ok\udcc3", { netns }), true);
    // A batch file, as bytes.
    const file = Deno.makeTempFileSync();
    try {
      Deno.writeFileSync(
        file,
        new Uint8Array([...new TextEncoder().encode("del a"), 0xfe, 0x62, 0x0a]),
      );
      const batch = sh([...cliCommand(), "-n", netns, "-batch", file]);
      assert.deepEqual([batch.code, batch.stderr], [0, ""]);
    } finally {
      Deno.removeSync(file);
    }
    assert.equal(rawShow(ipShow), "keep\\xe9: tun persist\\x0a");
    // A spelling that is not the exact one is refused, not guessed.
    assert.throws(() => deleteTunTap("keep\udcc3\udca9", { netns }), TypeError);
    assert.throws(() => createTunTap({ name: "x\ud800", mode: "tun", netns }), TypeError);
    // The library creates them exactly too.
    createTunTap({ name: "lib\udcff", mode: "tap", netns });
    assert.equal(rawShow(ipShow), "keep\\xe9: tun persist\\x0alib\\xff: tap persist\\x0a");
  },
);

kernelTest(
  "a batch line with a NUL in a name is refused, where iproute2 would cut the name at the NUL",
  (ns) => {
    const file = Deno.makeTempFileSync();
    try {
      const line = (text: string) => new TextEncoder().encode(text);
      Deno.writeFileSync(
        file,
        new Uint8Array([...line("tuntap add mode tun dev a"), 0, ...line("b\n")]),
      );
      // ip reads "tuntap add mode tun dev a" and creates "a".
      const ip = ns.exec(["ip", "-batch", file]);
      assert.deepEqual([ip.code, ns.ipTuntap().map((d) => d.ifname)], [0, ["a"]]);
      must(ns.exec(["ip", "link", "del", "dev", "a"]));
      const ours = ns.cli(["-batch", file]);
      assert.equal(ours.code, 255);
      assert.equal(ours.stderr, 'Error: argument "a\0b" is wrong: "dev" not a valid ifname\n');
      assert.deepEqual(ns.ipTuntap(), []);
    } finally {
      Deno.removeSync(file);
    }
  },
);

kernelTest("-n with a file that is not a network namespace exits 255, as iproute2", () => {
  const result = sh([...cliCommand(), "-n", "/etc/passwd", "show"]);
  assert.deepEqual(result, {
    code: 255,
    stdout: "",
    stderr: 'setting the network namespace "/etc/passwd" failed: Invalid argument\n',
  });
  const missing = sh([...cliCommand(), "-n", "nosuch-netns-x", "show"]);
  assert.deepEqual(missing, {
    code: 255,
    stdout: "",
    stderr: 'Cannot open network namespace "nosuch-netns-x": No such file or directory\n',
  });
  // ip gives the same status and first words for a name it cannot open.
  assert.equal(sh(["ip", "-n", "nosuch-netns-x", "tuntap", "show"]).code, 255);
});

Deno.test("TunTapError and TypeError are the only outcomes of bad names", () => {
  assert.throws(() => deleteTunTap(42 as unknown as string), TypeError);
  assert.throws(() => deleteTunTap("a/b"), TunTapError);
});

/** Starts inflight.py for `name` in `ns`: the device stays attached with no process holding it. */
async function inflight(ns: TestNetns, name: string): Promise<Deno.ChildProcess> {
  const child = new Deno.Command("ip", {
    args: ["netns", "exec", ns.name, "python3", `${ROOT}tests/fixtures/inflight.py`, name],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  await child.stdout.cancel();
  assert.ok(new TextDecoder().decode(value).startsWith("ready"));
  return child;
}

kernelTest(
  "deleteTunTap() tries again, for a bounded time, a device busy with no process holding it",
  async (ns) => {
    const netns = ns.name;
    createTunTap({ name: "busy0", mode: "tun", netns });
    createTunTap({ name: "busy1", mode: "tun", netns });
    // Released at the third attempt: the delete goes through.
    const first = await inflight(ns, "busy0");
    const attempts: number[] = [];
    testHooks.beforeBusyRetry = (_name, attempt) => {
      attempts.push(attempt);
      if (attempt === 2) first.kill("SIGKILL");
    };
    try {
      assert.equal(deleteTunTap("busy0", { netns }), true);
    } finally {
      delete testHooks.beforeBusyRetry;
      await first.status;
    }
    assert.deepEqual(attempts.slice(0, 3), [0, 1, 2]);
    // Never released: EBUSY after every attempt, and the hint names no holder.
    const second = await inflight(ns, "busy1");
    try {
      const error = errorOf(() => deleteTunTap("busy1", { netns }));
      assert.equal(error.code, "EBUSY");
      assert.equal(
        error.hint,
        'busy1 has a queue attached, and no process holding it was found (one in another namespace, or out of reach of this user): remove the link anyway with "ip link del busy1"',
      );
    } finally {
      second.kill("SIGKILL");
      await second.status;
    }
    assert.deepEqual(ns.ipTuntap(), [{ ifname: "busy1", flags: ["tun", "persist"] }]);
  },
);
