/**
 * Whole-process benchmarks of `tuntap` against iproute2, run in the same
 * process, interleaved (the order alternates between repetitions), reporting
 * medians and the median of the paired ratios:
 *
 * - `show`, `-j show` and `-d show` of N idle devices,
 * - creating N devices from a batch file, deleting N devices from a batch file,
 * - the start of `show` with no devices, against `ip` and a bare `deno run`.
 *
 * Everything runs in a private network namespace (and a private mount
 * namespace with its own sysfs, so that ip's sysfs reads are right there).
 *
 * Usage: deno task bench:whole [--n 10,100,1000,4000] [--reps 9] [--budget 60]
 *        [--only start,show,json,details,create,delete] [--out FILE.md]
 *
 * @module
 */

import { parseArgs } from "node:util";

const ROOT = new URL("../", import.meta.url).pathname;
const decoder = new TextDecoder();

const { values } = parseArgs({
  args: Deno.args,
  options: {
    inner: { type: "boolean", default: false },
    n: { type: "string", default: "10,100,1000,4000" },
    reps: { type: "string", default: "9" },
    budget: { type: "string", default: "60" },
    only: { type: "string", default: "start,show,json,details,create,delete" },
    out: { type: "string" },
  },
});

if (!values.inner) {
  // Re-run inside fresh network and mount namespaces; nothing touches the caller's.
  const args = [
    "--net",
    "--mount",
    "--propagation",
    "private",
    "sh",
    "-c",
    'mount -t sysfs sysfs /sys && exec "$@"',
    "sh",
    Deno.execPath(),
    "run",
    "-A",
    new URL(import.meta.url).pathname,
    "--inner",
    ...Deno.args,
  ];
  const status = await new Deno.Command("unshare", {
    args,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  })
    .spawn().status;
  Deno.exit(status.code);
}

const SIZES = values.n.split(",").map(Number);
const ONLY = new Set(values.only.split(","));
const SETTLE_MS = 100;
const REPS = Number(values.reps);
const BUDGET_S = Number(values.budget);
const config = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`));
const TUNTAP = (config.tasks.tuntap as string).split(" ").map((w) =>
  w === "deno" ? Deno.execPath() : w === "cli.ts" ? `${ROOT}cli.ts` : w
);
const work = Deno.makeTempDirSync({ prefix: "tuntap-bench-" });
const EMPTY = `${work}/empty.ts`;
Deno.writeTextFileSync(EMPTY, "");

async function run(command: string[], check = true): Promise<number> {
  const [program, ...args] = command;
  const started = performance.now();
  const output = await new Deno.Command(program as string, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const ms = performance.now() - started;
  if (check && !output.success) {
    throw new Error(`${command.join(" ")} failed: ${decoder.decode(output.stderr).slice(0, 400)}`);
  }
  return ms;
}

function batchFile(name: string, lines: string[]): string {
  const path = `${work}/${name}`;
  Deno.writeTextFileSync(path, lines.join("\n") + "\n");
  return path;
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `b${i}`);

/** Makes n idle tun devices with iproute2 (not measured). */
async function populate(n: number): Promise<void> {
  if (n > 0) {
    await run([
      "ip",
      "-batch",
      batchFile("populate", names(n).map((d) => `tuntap add mode tun name ${d}`)),
    ]);
  }
}

/** Removes every link of the namespace but lo, in one kernel batch (not measured). */
async function clear(): Promise<void> {
  const links = JSON.parse(
    decoder.decode(
      (await new Deno.Command("ip", { args: ["-j", "link", "show"] }).output()).stdout,
    ),
  );
  const doomed = (links as { ifname: string }[]).map((l) => l.ifname).filter((n) => n !== "lo");
  if (doomed.length === 0) return;
  await run([
    "ip",
    "-batch",
    batchFile("group", doomed.map((d) => `link set dev ${d} group 4242`)),
  ]);
  await run(["ip", "link", "del", "group", "4242"]);
}

/**
 * Waits for the kernel's deferred work of the set-up (device teardown after
 * a group delete runs partly after the request returns) to finish, so it
 * does not land on the measured run: 2 CPUs have no spare core for it.
 */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] as number : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

interface Row {
  name: string;
  n: number | "-";
  reference: string;
  ref: number;
  ours: number;
  ratio: number;
  reps: number;
}

const rows: Row[] = [];

/**
 * Measures two commands the same way, interleaved, with set-up before each
 * run; stops adding repetitions when the reference has used its time budget.
 */
async function compare(
  name: string,
  n: number | "-",
  reference: string,
  refCommand: string[],
  ourCommand: string[],
  before: () => Promise<void> = async () => {},
): Promise<void> {
  const refTimes: number[] = [];
  const ourTimes: number[] = [];
  let spent = 0;
  for (let rep = 0; rep < REPS; rep++) {
    const order: [string[], number[]][] = rep % 2 === 0
      ? [[refCommand, refTimes], [ourCommand, ourTimes]]
      : [[ourCommand, ourTimes], [refCommand, refTimes]];
    for (const [command, times] of order) {
      await before();
      await settle();
      times.push(await run(command));
    }
    spent += (refTimes.at(-1) as number) / 1000;
    if (rep >= 1 && spent > BUDGET_S) break;
  }
  const row = {
    name,
    n,
    reference,
    ref: median(refTimes),
    ours: median(ourTimes),
    // The two runs of a repetition are adjacent in time, so their ratio
    // cancels the machine's drift; the median of those ratios is reported.
    ratio: median(ourTimes.map((t, i) => t / (refTimes[i] as number))),
    reps: refTimes.length,
  };
  rows.push(row);
  // deno-lint-ignore no-console
  console.error(
    `${name.padEnd(16)} N=${String(n).padEnd(5)} ${reference} ${row.ref.toFixed(1)} ms, tuntap ${
      row.ours.toFixed(1)
    } ms, ratio ${row.ratio.toFixed(3)} (${row.reps} reps)`,
  );
}

// Warm Deno's caches so no run pays for compiling.
await run([...TUNTAP, "show"]);
await run([Deno.execPath(), "run", EMPTY]);

await clear();
if (ONLY.has("start")) {
  await compare(
    "start (show, no devices)",
    "-",
    "deno run (empty)",
    [Deno.execPath(), "run", EMPTY],
    [...TUNTAP, "show"],
  );
  await compare(
    "start (show, no devices)",
    "-",
    "ip",
    ["ip", "tuntap", "show"],
    [...TUNTAP, "show"],
  );
}

/** A case run for each N: ip's arguments and ours, and the set-up before each run. */
interface SizedCase {
  key: string;
  name: string;
  ip: (n: number) => string[];
  ours: (n: number) => string[];
  before?: (n: number) => Promise<void>;
}

const batch = (verb: string) => (n: number) => [
  "-batch",
  batchFile(`${verb}-${n}`, names(n).map((d) => `tuntap ${verb} mode tun name ${d}`)),
];

const SIZED: readonly SizedCase[] = [
  { key: "show", name: "show", ip: () => ["tuntap", "show"], ours: () => ["show"] },
  { key: "json", name: "-j show", ip: () => ["-j", "tuntap", "show"], ours: () => ["-j", "show"] },
  {
    key: "details",
    name: "-d show",
    ip: () => ["-d", "tuntap", "show"],
    ours: () => ["-d", "show"],
  },
  { key: "create", name: "create (batch)", ip: batch("add"), ours: batch("add"), before: clear },
  {
    key: "delete",
    name: "delete (batch)",
    ip: batch("del"),
    ours: batch("del"),
    before: async (n) => {
      await clear();
      await populate(n);
    },
  },
];

for (const n of SIZES) {
  await clear();
  await populate(n);
  for (const c of SIZED.filter((c) => ONLY.has(c.key))) {
    const before = c.before;
    await compare(
      c.name,
      n,
      "ip",
      ["ip", ...c.ip(n)],
      [...TUNTAP, ...c.ours(n)],
      before && (() => before(n)),
    );
  }
}
await clear();
Deno.removeSync(work, { recursive: true });

const kernel = decoder.decode((await new Deno.Command("uname", { args: ["-r"] }).output()).stdout)
  .trim();
const ip = decoder.decode((await new Deno.Command("ip", { args: ["-V"] }).output()).stdout).trim();
let table =
  `Medians of whole-process runs (${kernel}, ${ip}, Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} CPUs).\n\n`;
table +=
  "| case | N | reference | reference median | tuntap median | median of tuntap / reference | reps |\n";
table += "| --- | ---: | --- | ---: | ---: | ---: | ---: |\n";
for (const r of rows) {
  table += `| ${r.name} | ${r.n} | ${r.reference} | ${r.ref.toFixed(1)} ms | ${
    r.ours.toFixed(1)
  } ms | ${r.ratio.toFixed(3)} | ${r.reps} |\n`;
}
// deno-lint-ignore no-console
console.log(table);
if (values.out) Deno.writeTextFileSync(values.out, table);
