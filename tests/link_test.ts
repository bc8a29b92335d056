import assert from "node:assert/strict";
import {
  addAddress,
  createTunTap,
  deleteAddress,
  flushAddresses,
  getTunTap,
  inspectTunTaps,
  listAddresses,
  listTunTaps,
  setLink,
} from "../mod.ts";
import * as libc from "../ffi/mod.ts";
import { errorOf } from "./_assert.ts";
import { cliCommand, Holder, kernelTest, sh, TestNetns } from "./_netns.ts";

/** The fields of `ip -j -d link show` these tests read. */
type IpLink = {
  ifname: string;
  flags: string[];
  mtu: number;
  txqlen: number;
  address?: string;
  master?: string;
};

function ipLink(ns: TestNetns, name: string): IpLink {
  const link = (ns.ipLinks() as unknown as IpLink[]).find((l) => l.ifname === name);
  assert.ok(link, `ip link show has no ${name}`);
  return link;
}

/** An entry of `ip -j addr show` (its snake_case keys are iproute2's). */
type IpAddr = {
  ifname: string;
  // deno-lint-ignore camelcase
  addr_info: { family: string; local: string; prefixlen: number; address?: string }[];
};

function ipAddrs(ns: TestNetns, name: string): string[] {
  const result = sh(["ip", "-n", ns.name, "-j", "addr", "show", "dev", name]);
  assert.equal(result.code, 0, result.stderr);
  const [entry] = JSON.parse(result.stdout) as IpAddr[];
  return (entry?.addr_info ?? [])
    .filter((a) => !a.local.startsWith("fe80:"))
    .map((a) =>
      `${a.local}${a.address && a.address !== a.local ? ` peer ${a.address}` : ""}/${a.prefixlen}`
    );
}

kernelTest(
  "setLink() changes state, MTU, queue length, MAC and name, as ip link show reports",
  (ns) => {
    const netns = ns.name;
    createTunTap({ name: "tun0", mode: "tun", netns });
    createTunTap({ name: "tap0", mode: "tap", netns });
    const tun = setLink("tun0", { up: true, mtu: 1400, txQueueLen: 1000, netns });
    assert.deepEqual([tun.up, tun.mtu, tun.txQueueLen], [true, 1400, 1000]);
    let ip = ipLink(ns, "tun0");
    assert.ok(ip.flags.includes("UP"));
    assert.deepEqual([ip.mtu, ip.txqlen], [1400, 1000]);

    assert.equal(
      setLink("tap0", { mac: "02:11:22:33:44:55", netns }).mac,
      "02:11:22:33:44:55",
    );
    assert.equal(ipLink(ns, "tap0").address, "02:11:22:33:44:55");

    const down = setLink("tun0", { up: false, netns });
    assert.equal(down.up, false);
    assert.ok(!ipLink(ns, "tun0").flags.includes("UP"));

    const renamed = setLink("tun0", { name: "vpn0", netns });
    assert.equal(renamed.name, "vpn0");
    assert.equal(getTunTap("tun0", { netns }), undefined);
    ip = ipLink(ns, "vpn0");
    assert.equal(ip.mtu, 1400);
  },
);

kernelTest(
  "seed scenario 1: tun0 with 192.37.1.2/24, up, and the kernel's connected route",
  (ns) => {
    const netns = ns.name;
    createTunTap({ name: "tun0", mode: "tun", netns });
    addAddress("tun0", "192.37.1.2/24", { netns });
    setLink("tun0", { up: true, netns });
    assert.deepEqual(
      listAddresses({ name: "tun0", netns }).map((a) => `${a.address}/${a.prefixLength}`),
      [
        "192.37.1.2/24",
      ],
    );
    assert.deepEqual(ipAddrs(ns, "tun0"), ["192.37.1.2/24"]);
    const routes = JSON.parse(sh(["ip", "-n", netns, "-j", "route", "show", "dev", "tun0"]).stdout);
    assert.deepEqual(
      routes.map((r: { dst: string; protocol: string; scope: string; prefsrc: string }) => [
        r.dst,
        r.protocol,
        r.scope,
        r.prefsrc,
      ]),
      [["192.37.1.0/24", "kernel", "link", "192.37.1.2"]],
    );
  },
);

kernelTest(
  "seed scenario 2: a tap goes into a bridge made by ip link add, then leaves it",
  (ns) => {
    const netns = ns.name;
    assert.equal(ns.exec(["ip", "link", "add", "br0", "type", "bridge"]).code, 0);
    createTunTap({ name: "tap0", mode: "tap", netns });
    const bridge = ipLink(ns, "br0");
    const enslaved = setLink("tap0", { master: "br0", up: true, netns });
    assert.ok(enslaved.master !== undefined);
    assert.equal(ipLink(ns, "tap0").master, "br0");
    assert.equal(inspectTunTaps({ name: "tap0", netns })[0]?.master, "br0");
    const detached = setLink("tap0", { master: null, netns });
    assert.equal(detached.master, undefined);
    assert.equal(ipLink(ns, "tap0").master, undefined);
    assert.equal(ipLink(ns, "br0").ifname, bridge.ifname);
  },
);

kernelTest(
  "seed scenario 3: a device made in one namespace moves to another and is listed there",
  (ns) => {
    using other = TestNetns.create();
    createTunTap({ name: "tun7", mode: "tun", owner: 1000, netns: ns.name });
    addAddress("tun7", "10.7.0.1/24", { netns: ns.name });
    const moved = setLink("tun7", { moveTo: other.name, netns: ns.name });
    assert.equal(moved.name, "tun7");
    assert.equal(moved.owner, 1000);
    assert.deepEqual(listTunTaps({ netns: ns.name }), []);
    assert.deepEqual(listTunTaps({ netns: other.name }).map((d) => d.name), ["tun7"]);
    assert.deepEqual(ns.ipTuntap(), []);
    assert.deepEqual(other.ipTuntap().map((d) => [d.ifname, d.user]), [["tun7", 1000]]);
    // A moved link loses its addresses, and reports the namespace it now lives in.
    assert.deepEqual(listAddresses({ name: "tun7", netns: other.name }), []);
    assert.equal(inspectTunTaps({ netns: other.name })[0]?.netns, other.name);

    // Back again, renamed on the way, with the namespace given as an open descriptor.
    const fd = libc.open(`/run/netns/${ns.name}`, 0x80000); // O_RDONLY | O_CLOEXEC
    assert.ok(fd >= 0);
    try {
      const back = setLink("tun7", { moveTo: fd, name: "tun8", netns: other.name });
      assert.equal(back.name, "tun8");
    } finally {
      libc.close(fd);
    }
    assert.deepEqual(ns.ipTuntap().map((d) => d.ifname), ["tun8"]);
    assert.deepEqual(other.ipTuntap(), []);
  },
);

kernelTest(
  "addresses: IPv4, IPv6, point to point, replace, delete and flush, as ip addr reports",
  (ns) => {
    const netns = ns.name;
    createTunTap({ name: "tun0", mode: "tun", netns });
    addAddress("tun0", "10.1.0.1/24", { netns });
    addAddress("tun0", "10.9.0.1", { peer: "10.9.0.2/32", netns });
    addAddress("tun0", "fd00::1/64", { netns });
    assert.deepEqual(ipAddrs(ns, "tun0"), [
      "10.1.0.1/24",
      "10.9.0.1 peer 10.9.0.2/32",
      "fd00::1/64",
    ]);
    const listed = listAddresses({ name: "tun0", netns });
    assert.deepEqual(
      listed.map((a) => [a.family, a.address, a.prefixLength, a.peer ?? null, a.scope]),
      [
        ["inet", "10.1.0.1", 24, null, "global"],
        ["inet", "10.9.0.1", 32, "10.9.0.2", "global"],
        ["inet6", "fd00::1", 64, null, "global"],
      ],
    );
    assert.deepEqual(
      listAddresses({ name: "tun0", family: "inet6", netns }).map((a) => a.address),
      ["fd00::1"],
    );
    assert.equal(errorOf(() => addAddress("tun0", "10.1.0.1/24", { netns })).code, "EEXIST");
    addAddress("tun0", "10.1.0.1/24", { replace: true, netns });
    deleteAddress("tun0", "10.9.0.1", { peer: "10.9.0.2", netns });
    // An address that is not there is an error, as ip addr del makes it.
    assert.equal(
      errorOf(() => deleteAddress("tun0", "10.9.0.1", { peer: "10.9.0.2", netns })).code,
      "EADDRNOTAVAIL",
    );
    assert.equal(
      errorOf(() => deleteAddress("tun0", "10.1.0.1/25", { netns })).code,
      "EADDRNOTAVAIL",
    );
    assert.deepEqual(ipAddrs(ns, "tun0"), ["10.1.0.1/24", "fd00::1/64"]);
    assert.equal(flushAddresses("tun0", { netns }).length, 2);
    assert.deepEqual(ipAddrs(ns, "tun0"), []);
  },
);

kernelTest("bad input to set and addr is refused with a clear error and changes nothing", (ns) => {
  const netns = ns.name;
  createTunTap({ name: "tun0", mode: "tun", netns });
  createTunTap({ name: "tap0", mode: "tap", netns });
  const before = JSON.stringify(ns.ipLinks());
  const cases: [string, () => unknown, string, RegExp][] = [
    [
      "MTU above the maximum",
      () => setLink("tun0", { mtu: 70000, up: true, netns }),
      "EINVAL",
      /greater than device maximum/,
    ],
    [
      "MTU below the minimum",
      () => setLink("tun0", { mtu: 67, netns }),
      "EINVAL",
      /less than device minimum/,
    ],
    [
      "MAC on a tun",
      () => setLink("tun0", { mac: "02:00:00:00:00:01", up: true, netns }),
      "EOPNOTSUPP",
      /no MAC address/,
    ],
    [
      "multicast MAC",
      () => setLink("tap0", { mac: "01:00:5e:00:00:01", netns }),
      "EADDRNOTAVAIL",
      /unicast/,
    ],
    [
      "malformed MAC",
      () => setLink("tap0", { mac: "02:00:00", netns }),
      "EINVAL",
      /6 bytes/,
    ],
    ["unknown master", () => setLink("tap0", { master: "br9", up: true, netns }), "ENODEV", /./],
    [
      "unknown namespace",
      () => setLink("tap0", { moveTo: "nosuchns-x", up: true, netns }),
      "ENOENT",
      /./,
    ],
    [
      "name taken",
      () => setLink("tap0", { name: "tun0", mtu: 1000, netns }),
      "EEXIST",
      /already exists/,
    ],
    [
      "not a TUN/TAP device",
      () => setLink("lo", { mtu: 1000, netns }),
      "EINVAL",
      /not a TUN\/TAP device/,
    ],
    [
      "malformed address",
      () => addAddress("tun0", "10.1.0.300/24", { netns }),
      "EINVAL",
      /not an IPv4 or IPv6 address/,
    ],
    [
      "prefix too long",
      () => addAddress("tun0", "10.1.0.3/33", { netns }),
      "EINVAL",
      /not an IPv4 or IPv6 address/,
    ],
    [
      "peer of another family",
      () => addAddress("tun0", "10.1.0.3", { peer: "fd00::2", netns }),
      "EINVAL",
      /family/,
    ],
  ];
  for (const [what, run, code, text] of cases) {
    const error = errorOf(run);
    assert.equal(error.code, code, what);
    assert.match(
      `${error.extack ?? ""} ${error.detail ?? ""} ${error.message} ${error.hint ?? ""}`,
      text,
      what,
    );
  }
  assert.equal(JSON.stringify(ns.ipLinks()), before);
  assert.deepEqual(ipAddrs(ns, "tun0"), []);
});

kernelTest(
  "the CLI sets links and addresses under -n and in a batch, and reports bad input",
  (ns) => {
    const cli = (...args: string[]) => sh([...cliCommand(), "-n", ns.name, ...args]);
    assert.equal(cli("add", "dev", "tun0", "mode", "tun").code, 0);
    assert.equal(cli("add", "dev", "tap0", "mode", "tap").code, 0);
    assert.equal(ns.exec(["ip", "link", "add", "br0", "type", "bridge"]).code, 0);
    assert.deepEqual(cli("addr", "add", "192.37.1.2/24", "dev", "tun0"), {
      code: 0,
      stdout: "",
      stderr: "",
    });
    assert.deepEqual(cli("set", "dev", "tun0", "up", "mtu", "1400"), {
      code: 0,
      stdout: "",
      stderr: "",
    });
    // addr show prints what ip addr show prints, plain and JSON.
    for (const options of [[], ["-j"], ["-j", "-p"], ["-o"], ["-br"]]) {
      const ip = sh(["ip", "-n", ns.name, ...options, "addr", "show", "dev", "tun0"]);
      assert.deepEqual(cli(...options, "addr", "show", "dev", "tun0"), {
        code: 0,
        stdout: ip.stdout,
        stderr: "",
      }, options.join(" "));
    }
    const batch =
      "tuntap set tap0 master br0 up\nset tap0 txqueuelen 2000\naddr add fd00::7/64 dev tap0\n";
    assert.deepEqual(ns.cli(["-batch", "-"], { stdin: batch }), {
      code: 0,
      stdout: "",
      stderr: "",
    });
    assert.equal(ipLink(ns, "tap0").master, "br0");
    assert.equal(ipLink(ns, "tap0").txqlen, 2000);
    assert.deepEqual(ipAddrs(ns, "tap0"), ["fd00::7/64"]);

    // As ip link set / ip addr: the kernel's words and status 2 for its
    // refusals (hints may follow), 1 for a device or address not found, 255
    // for words that cannot be read.
    const failures: [string[], number, string][] = [
      [
        ["set", "dev", "tun0", "mtu", "70000"],
        2,
        "Error: mtu greater than device maximum.\n  hint: tun0 accepts MTUs from 68 to 65535\n",
      ],
      [
        ["set", "tun0", "address", "02:00:00:00:00:01"],
        2,
        "RTNETLINK answers: Operation not supported\n  hint: tun0 is a tun device, which has no MAC address; only tap devices (layer 2) have one\n",
      ],
      [
        ["set", "tap0", "master", "br9"],
        255,
        'Error: argument "br9" is wrong: Device does not exist\n\n',
      ],
      [["set", "dev", "nosuch", "up"], 1, 'Cannot find device "nosuch"\n'],
      [
        ["set", "tap0", "netns", "nosuchns"],
        255,
        'Error: argument "nosuchns" is wrong: Invalid "netns" value\n\n',
      ],
      [
        ["set", "tun0", "mtu", "big"],
        255,
        'Error: argument "big" is wrong: Invalid "mtu" value\n\n',
      ],
      [
        ["set", "tun0", "mtu", "1400", "mtu", "1300"],
        255,
        'Error: duplicate "mtu": "1300" is the second value.\n',
      ],
      [["set", "up"], 255, 'Not enough information: "dev" argument is required.\n'],
      [["set", "tun0", "tap0"], 255, 'Error: either "dev" is duplicate, or "tap0" is garbage.\n'],
      [
        ["addr", "add", "10.1.0.300/24", "dev", "tun0"],
        1,
        'Error: any valid prefix is expected rather than "10.1.0.300/24".\n',
      ],
      [["addr", "add", "10.1.0.3/24"], 1, 'Not enough information: "dev" argument is required.\n'],
      [
        ["addr", "add", "192.37.1.2/24", "dev", "tun0"],
        2,
        "Error: ipv4: Address already assigned.\n",
      ],
      [["addr", "del", "192.37.9.9/24", "dev", "tun0"], 2, "Error: ipv4: Address not found.\n"],
      [["info", "nope"], 1, 'Device "nope" does not exist.\n'],
      [["-j", "info", "nope"], 1, 'Device "nope" does not exist.\n'],
    ];
    const before = JSON.stringify(ns.ipLinks());
    for (const [args, code, stderr] of failures) {
      const result = cli(...args);
      assert.deepEqual({
        code: result.code,
        stderr: result.stderr.replace(/^ {2}hint: named namespaces.*\n/m, ""),
      }, {
        code,
        stderr,
      }, args.join(" "));
    }
    assert.equal(JSON.stringify(ns.ipLinks()), before);
  },
);

/** The documented keys of `info -j`, in order, with their JSON types. */
const INFO_SCHEMA: readonly [string, string][] = [
  ["schema", "number"],
  ["ifname", "string"],
  ["ifindex", "number"],
  ["mode", "string"],
  ["flags", "string[]"],
  ["pi", "boolean"],
  ["vnet_hdr", "boolean"],
  ["multi_queue", "boolean"],
  ["persist", "boolean"],
  ["owner", "number|null"],
  ["group", "number|null"],
  ["queues", "number|null"],
  ["disabled_queues", "number|null"],
  ["mtu", "number"],
  ["min_mtu", "number|null"],
  ["max_mtu", "number|null"],
  ["txqlen", "number"],
  ["link_flags", "string[]"],
  ["up", "boolean"],
  ["operstate", "string"],
  ["carrier", "boolean"],
  ["address", "string|null"],
  ["master", "string|null"],
  ["netns", "string|null"],
  ["netns_inode", "number"],
  ["addresses", "object[]"],
  ["processes", "object[]"],
];
const ADDRESS_SCHEMA: readonly [string, string][] = [
  ["family", "string"],
  ["local", "string"],
  ["prefixlen", "number"],
  ["peer", "string|null"],
  ["broadcast", "string|null"],
  ["scope", "string"],
  ["label", "string|null"],
  ["flags", "string[]"],
  ["valid_life_time", "number|null"],
  ["preferred_life_time", "number|null"],
];
const PROCESS_SCHEMA: readonly [string, string][] = [["name", "string|null"], ["pid", "number"]];

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) {
    return value.every((v) => typeof v === "string") ? "string[]" : "object[]";
  }
  return typeof value;
}

function checkSchema(
  value: Record<string, unknown>,
  schema: readonly [string, string][],
  where: string,
): void {
  assert.deepEqual(Object.keys(value), schema.map(([key]) => key), `${where}: keys`);
  for (const [key, type] of schema) {
    const actual = typeOf(value[key]);
    const allowed = type.split("|");
    // An empty array is both string[] and object[].
    const ok = allowed.includes(actual) ||
      (Array.isArray(value[key]) && (value[key] as unknown[]).length === 0 &&
        allowed.some((t) => t.endsWith("[]")));
    assert.ok(ok, `${where}.${key}: ${actual} is not ${type}`);
  }
}

kernelTest(
  "info -j follows its documented schema and agrees with the library and ip",
  async (ns) => {
    const netns = ns.name;
    assert.equal(ns.exec(["ip", "link", "add", "br0", "type", "bridge"]).code, 0);
    createTunTap({ name: "tun0", mode: "tun", owner: 1000, netns });
    createTunTap({ name: "tq0", mode: "tap", multiQueue: true, vnetHdr: true, netns });
    addAddress("tun0", "192.37.1.2/24", { netns });
    addAddress("tun0", "10.9.0.1", { peer: "10.9.0.2/32", netns });
    setLink("tun0", { up: true, netns });
    setLink("tq0", { master: "br0", netns });
    const holder = await Holder.start(ns, "tq0", "tap", 2, true);
    try {
      const result = sh([...cliCommand(), "-n", netns, "-j", "info"]);
      assert.equal(result.code, 0, result.stderr);
      const devices = JSON.parse(result.stdout) as Record<string, unknown>[];
      assert.equal(devices.length, 2);
      for (const device of devices) {
        checkSchema(device, INFO_SCHEMA, String(device.ifname));
        for (const a of device.addresses as Record<string, unknown>[]) {
          checkSchema(
            a,
            ADDRESS_SCHEMA,
            "address",
          );
        }
        for (const p of device.processes as Record<string, unknown>[]) {
          checkSchema(
            p,
            PROCESS_SCHEMA,
            "process",
          );
        }
      }
      const [tun0, tq0] = devices as Record<string, unknown>[];
      assert.deepEqual(
        [tun0?.ifname, tun0?.mode, tun0?.owner, tun0?.up, tun0?.netns, tun0?.master],
        ["tun0", "tun", 1000, true, netns, null],
      );
      assert.deepEqual(
        (tun0?.addresses as { local: string; peer: string | null }[]).map((a) => [a.local, a.peer]),
        [
          ["192.37.1.2", null],
          ["10.9.0.1", "10.9.0.2"],
        ],
      );
      assert.deepEqual(
        [
          tq0?.mode,
          tq0?.multi_queue,
          tq0?.vnet_hdr,
          tq0?.queues,
          tq0?.disabled_queues,
          tq0?.master,
          tq0?.carrier,
        ],
        // The holder attached first, without vnet_hdr: its flags replaced the device's.
        ["tap", true, false, 2, 0, "br0", true],
      );
      assert.deepEqual(tq0?.processes, [{ name: "deno", pid: holder.pid }, {
        name: "deno",
        pid: holder.pid,
      }]);
      assert.equal(tq0?.address, ipLink(ns, "tq0").address);
      // The pretty form is the same document.
      const pretty = sh([...cliCommand(), "-n", netns, "-j", "-p", "info"]);
      assert.deepEqual(JSON.parse(pretty.stdout), devices);
      // The text form names the namespace, the master and the holders.
      const text = sh([...cliCommand(), "-n", netns, "info", "tq0"]).stdout;
      assert.match(text, new RegExp(`^tq0: tap multi_queue persist\\n`));
      assert.match(text, new RegExp(`master br0\\n    netns ${netns} address `));
      assert.match(
        text,
        new RegExp(`    processes deno\\(${holder.pid}\\) deno\\(${holder.pid}\\)\\n$`),
      );
    } finally {
      await holder.release();
    }
  },
);
