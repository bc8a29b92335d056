/**
 * Runs the `ip link set` / `ip addr` battery (each case in private
 * namespaces) against `ip` and against `tuntap set` / `tuntap addr`, and
 * checks that the only cases that differ are the ones explained below.
 * Cases marked "[HEAD differs]" are compared with newest iproute2's recorded
 * output, which tuntap follows; the others with the `ip` of this machine (or
 * iproute2 6.1's recorded output when there is none). Lines starting with
 * "  hint: " are removed from tuntap's output; everything else is compared
 * byte for byte: exit status, stdout, stderr and the resulting links,
 * addresses and routes as the real `ip` lists them.
 */

import assert from "node:assert/strict";
import { missing, splitCases, unexplained } from "./_battery.ts";
import { cliCommand, KERNEL_SKIP_REASON, ROOT, sh } from "./_netns.ts";

const BATTERY = `${ROOT}tests/compat/ip-link-addr-battery.sh`;
const REFERENCE_61 = `${ROOT}tests/compat/ip-link-addr-battery.ip-6.1.0.out`;
const REFERENCE_HEAD = `${ROOT}tests/compat/ip-link-addr-battery.ip-head-7.1.0-55.out`;
/** Every case. */
const CASES = "*";

const ONLY_TUNTAP =
  "safety: without a device, addr show lists TUN/TAP devices only, where ip lists every link (lo, bridges)";
const UNSUPPORTED =
  "a keyword for other kinds of links, refused with a clear error instead of passed to the kernel";

/** Every case allowed to differ, with why. A new difference fails this test. */
const EXPLAINED: Readonly<Record<string, string>> = {
  L011:
    'safety: "ifN" is not read as interface index N (ip falls back to it when no device is named so); a name acts on that name only',
  L014: "set help prints tuntap's usage of set, not ip link's",
  L015: "set h prints tuntap's usage of set, not ip link's",
  B011: `vrf: ${UNSUPPORTED}`,
  G006:
    "safety: set group N without a device would change every link of the group, lo included; refused",
  G015: `type: ${UNSUPPORTED} (the kernel refuses it for tun all the same)`,
  G019: `inet (newest iproute2's per-family settings): ${UNSUPPORTED}`,
  D002: 'the message names tuntap\'s help ("tuntap addr help")',
  D013: 'the message names tuntap\'s help ("tuntap addr help")',
  D003: "addr help prints tuntap's usage of addr, not ip address's",
  E010: "addr add … help prints tuntap's usage of addr, not ip address's",
  T032: `proto (newest iproute2): ${UNSUPPORTED}`,
  X014: "safety: del without an address would delete the first address the kernel finds; refused",
  S058: "addr show help prints tuntap's usage of addr, not ip address's",
  S062: 'safety: "ifN" is not read as interface index N; a name acts on that name only',
  S065: `proto (newest iproute2): ${UNSUPPORTED}`,
  S045: "-d: addr show prints no link details (tuntap info prints a device's)",
  S046: "-s: addr show prints no statistics",
  D001: ONLY_TUNTAP,
  S003: ONLY_TUNTAP,
  S006: ONLY_TUNTAP,
  S009: ONLY_TUNTAP,
  S028: ONLY_TUNTAP,
  S030: ONLY_TUNTAP,
  S032: ONLY_TUNTAP,
  S035: ONLY_TUNTAP,
  S043: ONLY_TUNTAP,
  S044: ONLY_TUNTAP,
  S055: ONLY_TUNTAP,
  S056: ONLY_TUNTAP,
  S059: ONLY_TUNTAP,
  S067: ONLY_TUNTAP,
};

async function battery(linkSet: string, addr: string): Promise<string> {
  const output = await new Deno.Command("bash", {
    args: [BATTERY, linkSet, addr, CASES],
    cwd: await Deno.makeTempDir({ prefix: "tuntap-battery-cwd-" }),
    env: { DENO_NO_UPDATE_CHECK: "1" },
    stdin: "null",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout);
}

const skip = KERNEL_SKIP_REASON ??
  (missing("python3", sh) ? "python3 is not installed (the battery needs it)" : undefined) ??
  (missing("ip", sh) ? "iproute2 is not installed (the battery sets up with it)" : undefined);
if (skip !== undefined && KERNEL_SKIP_REASON === undefined) {
  // deno-lint-ignore no-console
  console.error(`\n*** LINK/ADDR COMPAT BATTERY SKIPPED: ${skip} ***\n`);
}

Deno.test({
  name:
    "the ip link set / ip addr battery gives the same results for tuntap, but for explained cases",
  ignore: skip !== undefined,
  async fn() {
    const tuntap = cliCommand().join(" ");
    const [ipText, tuntapText] = await Promise.all([
      battery("ip {OPTS} link set", "ip {OPTS} addr"),
      battery(`${tuntap} {OPTS} set`, `${tuntap} {OPTS} addr`),
    ]);
    const ip = splitCases(ipText);
    const head = splitCases(Deno.readTextFileSync(REFERENCE_HEAD));
    const reference = splitCases(Deno.readTextFileSync(REFERENCE_61));
    const actual = splitCases(tuntapText);
    assert.equal(ip.size, 412);
    assert.deepEqual([...ip.keys()], [...reference.keys()]);
    assert.deepEqual([...actual.keys()], [...ip.keys()]);
    // Cases where newest iproute2 differs from 6.1 are compared with newest's output.
    const expected = new Map(
      [...ip].map((
        [id, live],
      ) => [id, live.includes("[HEAD differs]") ? head.get(id) as string : live]),
    );
    const { problems, report } = unexplained(expected, actual, EXPLAINED);
    assert.deepEqual(problems, [], report);
  },
});
