/**
 * The architecture, checked: the layers of the module graph, a CLI every
 * module of which is in the static graph (no computed import), an error type that needs no
 * permission, a CLI that runs installed with only --allow-ffi, the wait
 * primitive and the listening socket.
 */

import assert from "node:assert/strict";
import { enterNetns } from "../lib/netns/_netns.ts";
import { decodeLinkIfAny, RTNLGRP_LINK } from "../lib/netlink/mod.ts";
import { Rtnl } from "../lib/transport/_rtnl.ts";
import { kernelTest, ROOT, sh, type TestNetns } from "./_netns.ts";

interface GraphModule {
  specifier: string;
  dependencies?: { specifier: string; code?: { specifier: string }; isDynamic?: boolean }[];
}

/** The package's own modules and what each imports, from `deno info --json`. */
function graph(): Map<string, { imports: string[]; dynamic: string[] }> {
  const modules = new Map<string, { imports: string[]; dynamic: string[] }>();
  for (const entry of ["mod.ts", "cli.ts"]) {
    const info = sh([Deno.execPath(), "info", "--json", `${ROOT}${entry}`]);
    assert.equal(info.code, 0, info.stderr);
    for (const module of JSON.parse(info.stdout).modules as GraphModule[]) {
      if (!module.specifier.startsWith(`file://${ROOT}`)) continue;
      const path = module.specifier.slice(`file://${ROOT}`.length);
      const deps = module.dependencies ?? [];
      modules.set(path, {
        imports: deps.flatMap((d) =>
          d.code?.specifier.startsWith(`file://${ROOT}`)
            ? [d.code.specifier.slice(`file://${ROOT}`.length)]
            : []
        ),
        dynamic: deps.filter((d) => d.isDynamic).map((d) => d.specifier),
      });
    }
  }
  return modules;
}

Deno.test("the module graph keeps its layers and has no cycle", () => {
  const modules = graph();
  assert.ok(modules.size > 30, `${modules.size} modules`);
  const problems: string[] = [];
  for (const [path, { imports, dynamic }] of modules) {
    for (const target of imports) {
      const rule = path.startsWith("lib/netlink/")
        ? !target.startsWith("lib/netlink/") && "lib/netlink imports only itself"
        : path.startsWith("ffi/")
        ? !target.startsWith("ffi/") && "ffi imports only itself"
        : path.startsWith("lib/cli/")
        ? (target.startsWith("ffi/") || target.startsWith("lib/netlink/")) &&
          "lib/cli reaches neither ffi nor lib/netlink"
        : path !== "cli.ts" && target.startsWith("lib/cli/") && "only cli.ts imports lib/cli";
      if (rule) problems.push(`${path} -> ${target}: ${rule}`);
    }
    // A dynamic import is fine when its specifier is a literal: it is in the
    // graph that deno install and deno cache fetch. A computed one is not.
    const source = Deno.readTextFileSync(`${ROOT}${path}`)
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/.*$/gm, "");
    for (const [, specifier] of source.matchAll(/\bimport\(\s*([^)]*?)\s*\)/g)) {
      if (!/^"[^"]+"$/.test(specifier as string)) {
        problems.push(`${path} imports a computed specifier: import(${specifier})`);
      }
    }
    if (dynamic.some((d) => !/^\.\.?\//.test(d))) {
      problems.push(`${path} imports dynamically from outside: ${dynamic.join(", ")}`);
    }
    if (!path.match(/(^|\/)(mod|cli)\.ts$/) && path.startsWith("lib/")) {
      const file = path.split("/").pop() as string;
      const reexported = [...modules.get("mod.ts")?.imports ?? []].includes(path);
      if (!reexported && !file.startsWith("_") && path !== "lib/errors.ts") {
        problems.push(`${path} is not re-exported by mod.ts, so its name starts with _`);
      }
    }
  }
  // Cycles: a depth-first walk that meets a module on its own path.
  const state = new Map<string, "open" | "done">();
  const walk = (path: string, trail: string[]): void => {
    if (state.get(path) === "done") return;
    if (state.get(path) === "open") {
      problems.push(`cycle: ${[...trail.slice(trail.indexOf(path)), path].join(" -> ")}`);
      return;
    }
    state.set(path, "open");
    for (const next of modules.get(path)?.imports ?? []) walk(next, [...trail, path]);
    state.set(path, "done");
  };
  for (const path of modules.keys()) walk(path, []);
  assert.deepEqual(problems, []);
});

Deno.test("a TunTapError is built in a process granted no permission at all", () => {
  const script = `
    import { TunTapError } from "${ROOT}mod.ts";
    const error = new TunTapError('Cannot create device "x"', { errno: 16, syscall: "ioctl(TUNSETIFF)" });
    console.log(error.code, "|", error.description, "|", error.message);
  `;
  const file = Deno.makeTempFileSync({ suffix: ".ts" });
  try {
    Deno.writeTextFileSync(file, script);
    // The package's own config resolves its npm imports (as JSR does for a user).
    const result = sh([
      Deno.execPath(),
      "run",
      "--no-prompt",
      "--config",
      `${ROOT}deno.json`,
      file,
    ]);
    assert.equal(result.stderr, "");
    assert.equal(
      result.stdout,
      'EBUSY | Device or resource busy | Cannot create device "x": ioctl(TUNSETIFF) failed: Device or resource busy (EBUSY)\n',
    );
  } finally {
    Deno.removeSync(file);
  }
});

kernelTest(
  "the CLI installed from a checkout runs with --allow-ffi and read access to the checkout alone, -batch and apply with --allow-read=FILE",
  (ns) => {
    const root = Deno.makeTempDirSync({ prefix: "tuntap-install-" });
    const batch = `${root}/provision.batch`;
    Deno.writeTextFileSync(batch, "tuntap add dev inst0 mode tap\n");
    const config = `${root}/tuntap.yaml`;
    Deno.writeTextFileSync(
      config,
      "version: 1\ndevices:\n  - { name: inst1, mode: tun, mtu: 1400 }\n",
    );
    try {
      const install = (name: string, ...flags: string[]) => {
        const result = sh([
          Deno.execPath(),
          "install",
          "-g",
          "--root",
          root,
          "-n",
          name,
          "--allow-ffi",
          // Subcommands load when they run (lazy dynamic imports, deno.json):
          // a local module loaded so needs read access.
          `--allow-read=${ROOT}${flags.length > 0 ? `,${flags.join(",")}` : ""}`,
          "-c",
          `${ROOT}deno.json`,
          // The installed copy gets a lockfile of its own, new by definition.
          "--frozen=false",
          `${ROOT}cli.ts`,
        ]);
        assert.equal(result.code, 0, result.stderr);
        return `${root}/bin/${name}`;
      };
      const plain = install("tuntap");
      const reader = install("tuntap-batch", batch, config);
      // stdin is closed (sh gives "null"): a permission prompt would fail the run.
      assert.deepEqual(sh([reader, "-n", ns.name, "-batch", batch]), {
        code: 0,
        stdout: "",
        stderr: "",
      });
      const applied = sh([reader, "-n", ns.name, "apply", config, "--detailed-exitcode"]);
      assert.equal(applied.code, 2, applied.stdout + applied.stderr);
      assert.equal(applied.stderr, "");
      assert.deepEqual(sh([plain, "-n", ns.name, "show"]), {
        code: 0,
        stdout: "inst0: tap persist\ninst1: tun persist\n",
        stderr: "",
      });
      assert.deepEqual(sh([plain, "-n", ns.name, "-j", "info", "inst0"]).code, 0);
      assert.deepEqual(sh([plain, "-n", ns.name, "del", "inst0"]), {
        code: 0,
        stdout: "",
        stderr: "",
      });
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  },
);

Deno.test("waits keep nothing alive once they end: 40,000 waits grow the heap by < 1 MiB", () => {
  // A long-running reader waits once per batch of packets, for days: any
  // per-wait leftover (such as a reaction on a promise that lives as long as
  // the waiter) adds up. /dev/zero is always readable, so each wait is a
  // full round through the pool thread.
  const script = `
    import { Waiter } from "${ROOT}lib/transport/_wait.ts";
    import { open } from "${ROOT}ffi/_libc.ts";
    const fd = open("/dev/zero", 0);
    const waiter = new Waiter();
    for (let i = 0; i < 2000; i++) await waiter.wait(fd, 1);
    globalThis.gc();
    const before = Deno.memoryUsage().heapUsed;
    for (let i = 0; i < 40000; i++) await waiter.wait(fd, 1);
    globalThis.gc();
    console.log(Deno.memoryUsage().heapUsed - before);
    waiter.close();
  `;
  const file = Deno.makeTempFileSync({ suffix: ".ts" });
  try {
    Deno.writeTextFileSync(file, script);
    const result = sh([
      Deno.execPath(),
      "run",
      "--allow-ffi",
      "--v8-flags=--expose-gc",
      "--config",
      `${ROOT}deno.json`,
      file,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const growth = Number(result.stdout.trim());
    assert.ok(growth < 1024 * 1024, `the heap grew by ${growth} bytes`);
  } finally {
    Deno.removeSync(file);
  }
});

kernelTest(
  "a wait on an idle descriptor ends promptly when woken, and no thread stays blocked",
  (ns) => {
    // In a process of its own: it must end by itself, without Deno.exit.
    const script = `
      import { Waiter } from "${ROOT}lib/transport/_wait.ts";
      import { Rtnl } from "${ROOT}lib/transport/_rtnl.ts";
      import { enterNetns } from "${ROOT}lib/netns/_netns.ts";
      const leave = enterNetns(${JSON.stringify(ns.name)});
      const idle = Rtnl.open();
      leave();
      const results = [];
      for (const how of ["wake", "close"]) {
        const waiter = new Waiter();
        const started = performance.now();
        let woke = 0;
        setTimeout(() => { woke = performance.now(); how === "wake" ? waiter.wake() : waiter.close(); }, 50);
        const result = await waiter.wait(idle.fd, 1);
        results.push([how, result, performance.now() - woke, woke - started]);
        waiter.close();
      }
      // A socket that listens, closed while it waits.
      const listening = Rtnl.open();
      const pending = listening.readable();
      setTimeout(() => listening.close(), 20);
      results.push(["socket", await pending]);
      idle.close();
      console.log(JSON.stringify(results));
    `;
    const file = Deno.makeTempFileSync({ suffix: ".ts" });
    try {
      Deno.writeTextFileSync(file, script);
      const result = sh(["timeout", "20", Deno.execPath(), "run", "-A", file]);
      assert.equal(result.code, 0, `the process did not end by itself: ${result.stderr}`);
      const [[wakeHow, wakeResult, wakeLatency], [closeHow, closeResult, closeLatency], socket] =
        JSON.parse(result.stdout);
      assert.deepEqual([wakeHow, wakeResult, closeHow, closeResult], [
        "wake",
        "woken",
        "close",
        "woken",
      ]);
      assert.ok(wakeLatency < 100, `woken after ${wakeLatency} ms`);
      assert.ok(closeLatency < 100, `closed after ${closeLatency} ms`);
      assert.deepEqual(socket, ["socket", false]);
    } finally {
      Deno.removeSync(file);
    }
  },
);

kernelTest(
  "a listening socket receives the link another process creates",
  async (ns: TestNetns) => {
    const leave = enterNetns(ns.name);
    let socket: Rtnl;
    try {
      socket = Rtnl.open();
      socket.join(RTNLGRP_LINK);
    } finally {
      leave();
    }
    try {
      const made = new Deno.Command("ip", {
        args: ["-n", ns.name, "link", "add", "heard0", "type", "bridge"],
      }).output();
      const names: string[] = [];
      while (!names.includes("heard0")) {
        assert.ok(await socket.readable(), "readable");
        socket.drain((message) => {
          const link = decodeLinkIfAny(message);
          if (link?.name !== undefined) names.push(link.name);
        });
      }
      assert.equal((await made).code, 0);
    } finally {
      socket.close();
    }
  },
);
