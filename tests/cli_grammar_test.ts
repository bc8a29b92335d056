import assert from "node:assert/strict";
import { type IdResolver, parseDeviceArgs } from "../lib/cli/_device_args.ts";
import { parseShowArgs } from "../lib/cli/_show.ts";
import { IP_USAGE } from "../lib/cli/_grammar.ts";
import { runCli } from "./_cli.ts";

/** Expected results of command lines that never reach the kernel (battery ids where they exist). */
const FAILURES: [string, string[], number, string][] = [
  ["C02", ["help"], 255, IP_USAGE],
  ["C03", ["h"], 255, IP_USAGE],
  ["H03", ["add", "help"], 255, IP_USAGE],
  ["H04", ["add", "mode", "tun", "help"], 255, IP_USAGE],
  ["H05", ["add", "mode", "tun", "h"], 255, IP_USAGE],
  ["H06", ["del", "help"], 255, IP_USAGE],
  ["C04", ["foo"], 255, 'Command "foo" is unknown, try "ip tuntap help".\n'],
  ["C05", [""], 255, 'Command "" is unknown, try "ip tuntap help".\n'],
  ["C09", ["addx", "mode", "tun"], 255, 'Command "addx" is unknown, try "ip tuntap help".\n'],
  ["M01", ["add", "name", "tn0"], 1, "You failed to specify a tunnel mode\n"],
  ["M02", ["add"], 1, "You failed to specify a tunnel mode\n"],
  ["del-nothing", ["del"], 1, "You failed to specify a tunnel mode\n"],
  ["M03", ["add", "mode"], 255, 'Command line is not complete. Try option "help"\n'],
  ["F09", ["add", "mode", "tun", "m"], 255, 'Command line is not complete. Try option "help"\n'],
  ["H01", ["add", "mode", "tun", "name"], 255, 'Command line is not complete. Try option "help"\n'],
  ["H02", ["add", "mode", "tun", "dev"], 255, 'Command line is not complete. Try option "help"\n'],
  [
    "U17",
    ["add", "mode", "tun", "name", "tn0", "user"],
    255,
    'Command line is not complete. Try option "help"\n',
  ],
  [
    "U18",
    ["add", "mode", "tun", "name", "tn0", "group"],
    255,
    'Command line is not complete. Try option "help"\n',
  ],
  ["D21", ["del", "name", "tn0", "mode"], 255, 'Command line is not complete. Try option "help"\n'],
  ["M04", ["add", "mode", "foo"], 255, 'Unknown tunnel mode "foo"\n'],
  ["M05", ["add", "mode", ""], 255, 'Unknown tunnel mode ""\n'],
  ["M06", ["add", "mode", "tuntap"], 255, 'Unknown tunnel mode "tuntap"\n'],
  ["M15", ["add", "mode", "TUN"], 255, 'Unknown tunnel mode "TUN"\n'],
  ["H07", ["add", "mode", "foo", "name"], 255, 'Unknown tunnel mode "foo"\n'],
  [
    "M10",
    ["add", "mode", "tun", "mode", "tap"],
    255,
    "You managed to ask for more than one tunnel mode.\n",
  ],
  [
    "M11",
    ["add", "mode", "tap", "mode", "tun"],
    255,
    "You managed to ask for more than one tunnel mode.\n",
  ],
  [
    "A08",
    ["add", "mode", "tun", "foo", "bar"],
    255,
    'Error: either "name" is duplicate, or "bar" is garbage.\n',
  ],
  [
    "A09",
    ["add", "mode", "tun", "name", "tn0", "name", "tn1"],
    255,
    'Error: either "name" is duplicate, or "tn1" is garbage.\n',
  ],
  [
    "A12",
    ["add", "mode", "tun", "dev", "tn0", "name", "tn1"],
    255,
    'Error: either "name" is duplicate, or "tn1" is garbage.\n',
  ],
  ["M16", ["add", "MODE", "tun"], 255, 'Error: either "name" is duplicate, or "tun" is garbage.\n'],
  [
    "A14",
    ["add", "mode", "tun", "name", "abcdefghijklmnop"],
    255,
    'Error: argument "abcdefghijklmnop" is wrong: "name" not a valid ifname\n',
  ],
  [
    "A15",
    ["add", "mode", "tun", "dev", "abcdefghijklmnop"],
    255,
    'Error: argument "abcdefghijklmnop" is wrong: "dev" not a valid ifname\n',
  ],
  [
    "A16",
    ["add", "mode", "tun", "name", "a b"],
    255,
    'Error: argument "a b" is wrong: "name" not a valid ifname\n',
  ],
  [
    "A17",
    ["add", "mode", "tun", "name", "a/b"],
    255,
    'Error: argument "a/b" is wrong: "name" not a valid ifname\n',
  ],
  [
    "A19",
    ["add", "mode", "tun", "name", "."],
    255,
    'Error: argument "." is wrong: "name" not a valid ifname\n',
  ],
  [
    "A20",
    ["add", "mode", "tun", "name", ".."],
    255,
    'Error: argument ".." is wrong: "name" not a valid ifname\n',
  ],
  [
    "A22",
    ["add", "mode", "tun", "name", ""],
    255,
    'Error: argument "" is wrong: "name" not a valid ifname\n',
  ],
  [
    "A27",
    ["add", "mode", "tun", "name", "a\tb"],
    255,
    'Error: argument "a\tb" is wrong: "name" not a valid ifname\n',
  ],
  [
    "utf8-16-bytes",
    ["add", "mode", "tun", "name", "ééééééééa"],
    255,
    'Error: argument "ééééééééa" is wrong: "name" not a valid ifname\n',
  ],
  [
    "U07",
    ["add", "mode", "tun", "name", "tn0", "user", "nosuchuser_x"],
    255,
    'invalid user "nosuchuser_x"\n',
  ],
  [
    "U08",
    ["add", "mode", "tun", "name", "tn0", "group", "nosuchgroup_x"],
    255,
    'invalid group "nosuchgroup_x"\n',
  ],
  ["U09", ["add", "mode", "tun", "name", "tn0", "user", ""], 255, 'invalid user ""\n'],
  ["U10", ["add", "mode", "tun", "name", "tn0", "user", "0x10"], 255, 'invalid user "0x10"\n'],
  ["U16", ["add", "mode", "tun", "name", "tn0", "user", "5x"], 255, 'invalid user "5x"\n'],
  ["U22", ["add", "user", "nosuchuser_x"], 255, 'invalid user "nosuchuser_x"\n'],
  ["G04", ["-x", "show"], 255, 'Option "-x" is unknown, try "ip -help".\n'],
  ["double-dash-unknown", ["--bogus"], 255, 'Option "-bogus" is unknown, try "ip -help".\n'],
  ["K10", ["-color=bogus", "show"], 255, 'Option "-color=bogus" is unknown, try "ip -help".\n'],
  ["G09", ["-batch"], 255, 'Error: argument "batch file" is required\n'],
  ["loops", ["-l"], 255, 'Error: argument "loop count" is required\n'],
  ["family", ["-f"], 255, 'Error: argument "family type" is required\n'],
  ["rcvbuf", ["-rc"], 255, 'Error: argument "rcvbuf size" is required\n'],
  [
    "-f tuntap",
    ["-f", "tuntap", "show"],
    255,
    'Error: argument "tuntap" is wrong: invalid protocol family\n',
  ],
  ["rcvbuf-bad", ["-rcvbuf", "12x", "show"], 255, "Invalid rcvbuf size '12x'\n"],
  ["rcvbuf-neg", ["-rcvbuf", "-1", "show"], 255, "Invalid rcvbuf size '-1'\n"],
  ["rcvbuf-big", ["-rcvbuf", "4294967296", "show"], 255, "Invalid rcvbuf size '4294967296'\n"],
  ["-n", ["-n"], 255, 'Cannot open network namespace "(null)": No such file or directory\n'],
  [
    "G08",
    ["-n", "nosuchns", "show"],
    255,
    'Cannot open network namespace "nosuchns": No such file or directory\n',
  ],
  [
    "netns-before-bad-option",
    ["-n", "nosuchns", "-x"],
    255,
    'Cannot open network namespace "nosuchns": No such file or directory\n',
  ],
];

// Every case below fails before any system call that could change something: these
// run in the caller's network namespace. (ip rejects "del NAME NAME"; here it deletes
// both, so D13, D14 and D20 are kernel tests.)
Deno.test("main() rejects bad command lines with iproute2's message and status", async () => {
  for (const [id, args, status, stderr] of FAILURES) {
    const result = await runCli(args);
    assert.deepEqual(result, { status, stdout: "", stderr }, `${id}: ${JSON.stringify(args)}`);
  }
});

Deno.test("main() answers --help, -h, --version and -V on stdout with status 0", async () => {
  for (const flag of ["--help", "-h"]) {
    const result = await runCli([flag]);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^Usage: tuntap \[ OPTIONS \]/);
    assert.match(
      result.stdout,
      /Exit status: 0 success, 1 the kernel refused, 255 a command-line error/,
    );
    assert.equal(result.stderr, "");
  }
  const version =
    JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url))).version;
  for (const flag of ["--version", "-V", "-Version"]) {
    assert.deepEqual(await runCli([flag]), {
      status: 0,
      stdout: `tuntap utility, @netdev/tuntap ${version}\n`,
      stderr: "",
    });
  }
  const ipHelp = await runCli(["-help"]);
  assert.equal(ipHelp.status, 255);
  assert.match(ipHelp.stderr, /^Usage: tuntap/);
});

const NAMES: IdResolver = {
  user: (v) => ({ nobody: 65534, root: 0 } as Record<string, number>)[v] ?? Number(v),
  group: (v) => ({ daemon: 1, root: 0 } as Record<string, number>)[v] ?? Number(v),
};

Deno.test("parseDeviceArgs() reads add arguments with iproute2's prefix rules and order", () => {
  const add = (...words: string[]) => parseDeviceArgs(words, true, NAMES);
  const flags = { pi: false, oneQueue: false, vnetHdr: false, multiQueue: false };
  assert.deepEqual(add("tn0", "mode", "tun"), { ...flags, names: ["tn0"], mode: "tun" }); // A06
  assert.deepEqual(add("mode", "tun", "tn0"), { ...flags, names: ["tn0"], mode: "tun" }); // A07
  assert.deepEqual(add("mode", "tun", "dev", "tn0", "dev", "tn1"), {
    ...flags,
    names: ["tn1"],
    mode: "tun",
  }); // A10
  assert.deepEqual(add("mode", "tun", "name", "tn0", "dev", "tn1"), {
    ...flags,
    names: ["tn1"],
    mode: "tun",
  }); // A11
  assert.deepEqual(add("p", "o", "v", "mu", "m", "tap", "n", "tp0"), {
    names: ["tp0"],
    mode: "tap",
    pi: true,
    oneQueue: true,
    vnetHdr: true,
    multiQueue: true,
  }); // F07
  assert.deepEqual(add("mode", "t", "name", "tn0"), { ...flags, names: ["tn0"], mode: "tun" }); // M07
  assert.deepEqual(add("mode", "ta", "name", "tp0"), { ...flags, names: ["tp0"], mode: "tap" }); // M08
  assert.deepEqual(add("mode", "tun", "mode", "tun", "name", "tn0"), {
    ...flags,
    names: ["tn0"],
    mode: "tun",
  }); // M09
  assert.deepEqual(add("mo", "tun", "na", "tn0"), { ...flags, names: ["tn0"], mode: "tun" }); // M13
  assert.deepEqual(add("mode", "tun", "name", "help"), { ...flags, names: ["help"], mode: "tun" }); // A28
  assert.deepEqual(add("mode", "tun", "name", "--x"), { ...flags, names: ["--x"], mode: "tun" }); // A29
  assert.deepEqual(add("mode", "tun", "bogus_kw"), { ...flags, names: ["bogus_kw"], mode: "tun" }); // A30
  assert.deepEqual(add("mode", "tun", "pi", "pi"), { ...flags, names: [], pi: true, mode: "tun" }); // F08
  assert.deepEqual(add("mode", "tun", "u", "nobody", "g", "daemon"), {
    ...flags,
    names: [],
    mode: "tun",
    owner: 65534,
    group: 1,
  }); // U04, U05, U19
});

Deno.test("parseDeviceArgs() treats user and group as names in del", () => {
  assert.deepEqual(
    parseDeviceArgs(["m", "tu", "n", "tn0", "pi", "vnet_hdr", "one_queue"], false, NAMES),
    {
      names: ["tn0"],
      mode: "tun",
      pi: true,
      vnetHdr: true,
      oneQueue: true,
      multiQueue: false,
    },
  ); // D15, D18
});

Deno.test("parseShowArgs() honours dev and mode, and ignores other words", () => {
  assert.deepEqual(parseShowArgs([]), {});
  assert.deepEqual(parseShowArgs(["foo", "bar"]), {});
  assert.deepEqual(parseShowArgs(["dev", "tn0", "mode", "ta"]), { name: "tn0", mode: "tap" });
  assert.deepEqual(parseShowArgs(["n", "tn0"]), { name: "tn0" });
});

Deno.test("main() dispatches every spelling of show, list and lst", async () => {
  // An unknown filter value proves the word reached show's parser without touching the kernel.
  for (const word of ["s", "sh", "sho", "show", "l", "ls", "lst", "li", "lis", "list"]) {
    assert.deepEqual(await runCli([word, "mode", "x"]), {
      status: 255,
      stdout: "",
      stderr: 'Unknown tunnel mode "x"\n',
    }, word);
  }
});

Deno.test("main() reports a bad show filter", async () => {
  assert.deepEqual(await runCli(["show", "mode", "bogus"]), {
    status: 255,
    stdout: "",
    stderr: 'Unknown tunnel mode "bogus"\n',
  });
  assert.equal((await runCli(["show", "dev"])).status, 255);
});

Deno.test("main() rejects bad set, addr and info command lines before touching the kernel", async () => {
  // Exit statuses and messages as ip link set / ip addr give them: 255 for a
  // word that cannot be read, 1 for an address that cannot.
  const cases: [string[], string, number][] = [
    [["set", "up"], 'Not enough information: "dev" argument is required.\n', 255],
    [["set", "tun0", "mtu"], 'Command line is not complete. Try option "help"\n', 255],
    [["set", "tun0", "mtu", "1x"], 'Error: argument "1x" is wrong: Invalid "mtu" value\n\n', 255],
    [
      ["set", "tun0", "txqueuelen", "4294967296"],
      'Error: argument "4294967296" is wrong: Invalid "txqueuelen" value\n\n',
      255,
    ],
    [["set", "tun0", "address", "zz"], '"zz" is invalid lladdr.\n', 1],
    [
      ["set", "tun0", "name", "a/b"],
      'Error: argument "a/b" is wrong: "name" not a valid ifname\n',
      255,
    ],
    [
      ["set", "tun0", "up", "qlen", "1", "txqlen", "2"],
      'Error: duplicate "txqueuelen": "2" is the second value.\n',
      255,
    ],
    [
      ["set", "dev", "tun0", "tun1"],
      'Error: either "dev" is duplicate, or "tun1" is garbage.\n',
      255,
    ],
    [
      ["set", "tun0", "multicast", "o"],
      'Error: argument of "multicast" must be "on" or "off", not "o"\n',
      1,
    ],
    [
      ["set", "tun0", "index", "5"],
      "index can be used only when creating devices or when moving device to another netns.\n",
      255,
    ],
    [
      ["addr", "add", "1.2.3.4/33", "dev", "tun0"],
      'Error: any valid prefix is expected rather than "1.2.3.4/33".\n',
      1,
    ],
    [
      ["addr", "add", "1.2.3.4/24", "peer", "x", "dev", "tun0"],
      'Error: inet prefix is expected rather than "x".\n',
      1,
    ],
    [
      ["addr", "add", "1.2.3.4/24", "5.6.7.8", "dev", "tun0"],
      'Error: either "local" is duplicate, or "5.6.7.8" is garbage.\n',
      255,
    ],
    [["addr", "add", "1.2.3.4/24"], 'Not enough information: "dev" argument is required.\n', 1],
    [
      ["addr", "add", "1.2.3.4/24", "dev", "tun0", "scope", "foo"],
      'Error: argument "foo" is wrong: invalid scope value.\n',
      255,
    ],
    [["addr", "flush"], "Flush requires arguments.\n", 1],
    [["addr", "frob"], 'Command "frob" is unknown, try "tuntap addr help".\n', 255],
    [["info", "tun0", "tun1"], 'Error: either "dev" is duplicate, or "tun1" is garbage.\n', 255],
    [["info", "mode", "ether"], 'Unknown tunnel mode "ether"\n', 255],
  ];
  for (const [args, stderr, status] of cases) {
    assert.deepEqual(await runCli(args), { status, stdout: "", stderr }, args.join(" "));
  }
});
