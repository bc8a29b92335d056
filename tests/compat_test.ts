/**
 * Runs the iproute2 battery (211 cases, each in private namespaces) against
 * `ip` and against `tuntap`, and checks that the only cases that differ are
 * the ones explained below. Lines starting with "  hint: " (deliberate
 * difference 5) are removed from tuntap's output before comparing; everything
 * else is compared byte for byte: exit status, stdout, stderr, the state
 * (`IP -j tuntap show`) and an independent sysfs listing.
 */

import assert from "node:assert/strict";
import { missing, splitCases, unexplained } from "./_battery.ts";
import { cliCommand, KERNEL_SKIP_REASON, nobodyCheckout, ROOT, sh } from "./_netns.ts";

const BATTERY = `${ROOT}tests/compat/ip-tuntap-battery.sh`;
const REFERENCE = `${ROOT}tests/compat/ip-tuntap-battery.ip-6.1.0.out`;

const NEWEST = "newest iproute2 differs from 6.1 here, and tuntap follows newest";
const NO_ONE_QUEUE = "difference 1: flags come from rtnetlink, which does not report one_queue";
const DEL_LIST =
  "extension: del takes a list of names; names of no device are reported and skipped (rc 0), and a link that is not a TUN/TAP device of the mode deletes nothing (rc 1)";
const NO_NAPI = "difference 1: flags come from rtnetlink, which does not report the NAPI bits";

/** Every case allowed to differ, with why. A new difference fails this test. */
const EXPLAINED: Readonly<Record<string, string>> = {
  C19:
    'not a tuntap command line: "ip tuntapx" is an unknown ip object (rc 1); tuntap has no object word',
  C20: 'not a tuntap command line: "ip tu" is "ip tunnel"',
  A08: `${NEWEST}: 'is garbage.' instead of 'is a garbage.'`,
  A09: `${NEWEST}: 'is garbage.'`,
  A12: `${NEWEST}: 'is garbage.'`,
  M16: `${NEWEST}: 'is garbage.'`,
  D13: DEL_LIST,
  D14: DEL_LIST,
  D20: DEL_LIST,
  A19: `${NEWEST}: "." is refused as a name (rc 255) before the kernel sees it`,
  A20: `${NEWEST}: ".." is refused as a name (rc 255) before the kernel sees it`,
  J12: `${NEWEST}: control bytes in names are escaped as \\u00XX, so the JSON is valid`,
  T03: `${NEWEST}: -d -j puts each process in an object, so the JSON is valid`,
  T04: `${NEWEST}: -d -j -p puts each process in an object, so the JSON is valid`,
  K01: `${NEWEST}: dark palette (bold cyan) when COLORFGBG is unset`,
  K02: `${NEWEST}: dark palette (bold cyan) when COLORFGBG is unset`,
  K07: `${NEWEST}: dark palette (bold cyan) when COLORFGBG is unset`,
  K09: `${NEWEST}: dark palette (bold cyan) when COLORFGBG is unset`,
  G09: `${NEWEST}: 'Error: argument "batch file" is required' instead of the ip usage`,
  B10: `${NEWEST}: show output is not flushed per command, so with 2>&1 it follows the errors`,
  F02: NO_ONE_QUEUE,
  F05: NO_ONE_QUEUE,
  F06: NO_ONE_QUEUE,
  F07: NO_ONE_QUEUE,
  S02: NO_ONE_QUEUE,
  J03: NO_ONE_QUEUE,
  J04: NO_ONE_QUEUE,
  S07: NO_NAPI,
  J09: NO_NAPI,
  N02:
    "difference 1: rtnetlink sees the device under unshare -n, where ip's sysfs read fails and skips it",
  N03:
    "difference 1: rtnetlink reports the namespace's own q0, where ip shows the sysfs namespace's q0",
  S03: "difference 2: show honours mode tap",
  S04: "difference 2: show honours dev tn0",
  D03: "difference 4: del without mode looks the device up and deletes it",
};

async function battery(prefix: string, env: Record<string, string>): Promise<string> {
  const output = await new Deno.Command("bash", {
    args: [BATTERY, prefix],
    cwd: await Deno.makeTempDir({ prefix: "tuntap-battery-cwd-" }),
    env,
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  return text;
}

const skip = KERNEL_SKIP_REASON ??
  (missing("python3", sh) ? "python3 is not installed (the battery needs it)" : undefined);
if (skip !== undefined && KERNEL_SKIP_REASON === undefined) {
  // deno-lint-ignore no-console
  console.error(`\n*** COMPAT BATTERY SKIPPED: ${skip} ***\n`);
}

Deno.test({
  name: "the iproute2 battery gives the same results for tuntap as for ip, but for explained cases",
  ignore: skip !== undefined,
  async fn() {
    // The battery runs some cases as uid 65534: they run a copy of the
    // package that user can read, wherever the checkout is.
    const { root, denoDir, wrapper } = nobodyCheckout();
    const env = {
      DENO_DIR: denoDir,
      TUNTAP_COMMAND: cliCommand(root).join(" "),
      DENO_NO_UPDATE_CHECK: "1",
    };
    const [ipText, tuntapText] = await Promise.all([
      missing("ip", sh) ? Promise.resolve(Deno.readTextFileSync(REFERENCE)) : battery("ip", {}),
      battery(wrapper, env),
    ]);
    const ip = splitCases(ipText);
    const tuntap = splitCases(tuntapText);
    assert.equal(ip.size, 211);
    assert.deepEqual([...tuntap.keys()], [...ip.keys()]);
    const { problems, report } = unexplained(ip, tuntap, EXPLAINED);
    assert.deepEqual(problems, [], report);
  },
});
