/**
 * Randomized differential test of `tuntap set` / `tuntap addr` against
 * `ip link set` / `ip addr`: a seeded generator writes command lines from
 * both tools' grammar (valid and invalid values, abbreviations, missing and
 * unknown devices), and each line runs through `ip` and through `tuntap` in
 * two fresh namespaces set up alike. Exit status, stdout, stderr (without
 * tuntap's hint lines) and the resulting links and addresses must be equal.
 *
 * The seed is fixed (CI runs the same lines every time); another is given
 * with `deno test -P tests/compat_random_test.ts -- --seed 42` or
 * `TUNTAP_SEED=42`, and `--cases N` (or `TUNTAP_CASES`) runs more lines. A
 * failure names the seed and the line, so it can be run again.
 *
 * The generator leaves out what tuntap does differently on purpose (see
 * `compat_link_addr_test.ts`): usage texts, keywords for other kinds of
 * links, and the few lines where newest iproute2 differs from the `ip`
 * installed here.
 */

import assert from "node:assert/strict";
import { parseArgs } from "node:util";
import { withoutHints } from "./_battery.ts";
import { KERNEL_SKIP_REASON, sh, TestNetns } from "./_netns.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: { seed: { type: "string" }, cases: { type: "string" } },
  strict: false,
});
const SEED = Number(flags.seed ?? Deno.env.get("TUNTAP_SEED") ?? 20261201);
const CASES = Number(flags.cases ?? Deno.env.get("TUNTAP_CASES") ?? 60);

/** mulberry32: a small seeded generator, enough to pick words. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Pick = <T>(choices: readonly T[]) => T;

const DEVICES = ["tun0", "tap0", "nosuch"];

/** `set` keywords with values to try, valid and not. */
const SET_WORDS: readonly (readonly string[])[] = [
  ["up"],
  ["down"],
  ["mtu", "1400"],
  ["mtu", "68"],
  ["mtu", "67"],
  ["mtu", "0x5dc"],
  ["mtu", "abc"],
  ["mtu", "70000"],
  ["txqueuelen", "100"],
  ["txqlen", "0"],
  ["qlen", "-1"],
  ["t", "42"],
  ["txqlen", "x"],
  ["address", "02:11:22:33:44:55"],
  ["a", "02:00:00:00:00:09"],
  ["address", "01:00:00:00:00:01"],
  ["address", "02:zz:00:00:00:01"],
  ["address", "02:00:00:00:00"],
  ["broadcast", "02:00:00:00:00:ff"],
  ["name", "vpn0"],
  ["name", "tap0"],
  ["name", "a/b"],
  ["master", "br0"],
  ["m", "nosuch"],
  ["nomaster"],
  ["arp", "off"],
  ["multicast", "on"],
  ["promisc", "on"],
  ["allmulticast", "foo"],
  ["dynamic", "on"],
  ["carrier", "off"],
  ["alias", "vpn uplink"],
  ["group", "5"],
  ["group", "-1"],
  ["state", "up"],
  ["mode", "dormant"],
  ["addrgenmode", "none"],
  ["mtu"],
];

const ADDRESSES = [
  "10.0.0.1/24",
  "10.0.0.1",
  "10.0.0.9/24",
  "1.2.3",
  "010.1.1.1/024",
  "10.1.1.2/0x10",
  "10.1.1.4/255.255.0.0",
  "300.1.1.1/24",
  "2001:db8::1/64",
  "2001:db8::9/64",
  "fe80::1%x",
];

/** `addr` words after the address, valid and not. */
const ADDR_WORDS: readonly (readonly string[])[] = [
  ["peer", "10.0.0.2"],
  ["peer", "10.0.0.0/30"],
  ["brd", "+"],
  ["broadcast", "-"],
  ["brd", "10.0.0.255"],
  ["label", "tun0:x"],
  ["scope", "link"],
  ["scope", "77"],
  ["scope", "foo"],
  ["metric", "5"],
  ["metric", "x"],
  ["valid_lft", "100", "preferred_lft", "50"],
  ["valid_lft", "50", "preferred_lft", "100"],
  ["valid_lft", "forever"],
  ["nodad"],
  ["noprefixroute"],
  ["home"],
  ["secondary"],
];

function setLine(pick: Pick, count: number): string[] {
  const words = ["link", "set"];
  const device = pick([...DEVICES, "dev tun0", "dev tap0"]);
  words.push(...device.split(" "));
  for (let i = 0; i < count; i++) words.push(...pick(SET_WORDS));
  return words;
}

function addrLine(pick: Pick, count: number): string[] {
  const action = pick(["add", "a", "del", "d", "change", "replace", "add", "del"]);
  const words = ["addr", action, pick(ADDRESSES)];
  for (let i = 0; i < count; i++) words.push(...pick(ADDR_WORDS));
  const device = pick([...DEVICES, "tun0", "tun0", ""]);
  if (device !== "") words.push("dev", device);
  return words;
}

function showLine(pick: Pick): string[] {
  const options = pick([[], ["-j"], ["-4"], ["-6"], ["-o"], ["-j", "-p"], ["-br"]]);
  const tail = pick([["dev", "tun0"], ["dev", "tap0"], ["tun0"], ["dev", "nosuch"]]);
  return [...options, "addr", pick(["show", "s", "list", "lst"]), ...tail];
}

/** The command lines, as `ip` words (`link set …`, `addr …`). */
function lines(seed: number, count: number): string[][] {
  const next = random(seed);
  const pick: Pick = (choices) => choices[Math.floor(next() * choices.length)] as never;
  const out: string[][] = [];
  for (let i = 0; i < count; i++) {
    const kind = next();
    const words = 1 + Math.floor(next() * 3);
    out.push(
      kind < 0.45 ? setLine(pick, words) : kind < 0.85 ? addrLine(pick, words) : showLine(pick),
    );
  }
  return out;
}

const SETUP = [
  "ip tuntap add tun0 mode tun",
  "ip tuntap add tap0 mode tap",
  "ip link set tap0 address 02:00:00:00:00:01",
  "ip link add br0 type bridge",
  "ip link set br0 address 02:00:00:00:01:01",
  "ip addr add 10.0.0.1/24 dev tun0",
  "ip addr add 2001:db8::1/64 dev tun0 nodad",
  "ip addr add 192.168.7.1/24 dev tap0",
];

function setUp(ns: TestNetns): void {
  for (const line of SETUP) {
    const result = ns.exec(line.split(" "));
    if (result.code !== 0) throw new Error(`${line}: ${result.stderr}`);
  }
}

/** Links and addresses as the real ip lists them, lifetimes that tick made equal. */
function state(ns: TestNetns): string {
  const links = ns.exec(["ip", "-j", "-d", "link", "show"]).stdout;
  const addrs = ns.exec(["ip", "-j", "addr", "show"]).stdout;
  return `${links}\n${addrs}`.replace(/("(?:valid|preferred)_life_time":)\d{1,9}\b/g, "$1N");
}

function tuntapWords(words: readonly string[]): string[] {
  const at = words.findIndex((w) => !w.startsWith("-"));
  const options = words.slice(0, at);
  const rest = words.slice(at);
  return rest[0] === "link" ? [...options, "set", ...rest.slice(2)] : [...options, ...rest];
}

Deno.test({
  name:
    `random set/addr command lines give the same results through tuntap as through ip (seed ${SEED})`,
  ignore: KERNEL_SKIP_REASON !== undefined || sh(["sh", "-c", "command -v ip"]).code !== 0,
  fn() {
    const differences: string[] = [];
    for (const words of lines(SEED, CASES)) {
      using ipNs = TestNetns.create();
      using ourNs = TestNetns.create();
      setUp(ipNs);
      setUp(ourNs);
      const before = state(ourNs);
      const ip = ipNs.exec(["ip", ...words]);
      const ours = ourNs.cli(tuntapWords(words));
      const expected = { code: ip.code, stdout: ip.stdout, stderr: ip.stderr, state: state(ipNs) };
      const actual = {
        code: ours.code,
        stdout: ours.stdout,
        stderr: withoutHints(ours.stderr),
        state: state(ourNs),
      };
      // On purpose: a change the kernel refuses halfway (ip keeps what it
      // applied before the refusal) is refused by tuntap before it is sent.
      if (ip.code === 2 && actual.code === 2 && actual.state === before) {
        expected.state = before;
      }
      try {
        assert.deepEqual(actual, expected);
      } catch (error) {
        differences.push(`seed ${SEED}: ip ${words.join(" ")}\n${(error as Error).message}`);
      }
    }
    assert.deepEqual(differences, [], differences.join("\n\n"));
  },
});
