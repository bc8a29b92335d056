/**
 * Whole-process benchmarks of `tuntap` against iproute2, against the floor
 * programs of `bench/floor/` (the least a one-file `deno run` program can do
 * for the same output or the same devices) and against a bare `deno run` of
 * an empty file. In each repetition every command of a case runs once, in an
 * order that rotates between repetitions, each after the same set-up and a
 * pause for the kernel's deferred work; a case reports tuntap's median time
 * and the median, over repetitions, of tuntap's time divided by each other
 * command's time in the same repetition (adjacent runs: the machine's drift
 * cancels).
 *
 * - `show`, `-j show` (against ip and the floor), `-d show` (against ip) of
 *   N idle devices; at N = 0 also against a bare `deno run`;
 * - creating N devices from a batch file (ip, floor), deleting N (ip);
 * - the peak resident set of `show` and `-j show` of the largest N, tuntap
 *   against the floor and a bare `deno run`.
 *
 * Everything runs in a private network namespace (and a private mount
 * namespace with its own sysfs, so that ip's sysfs reads are right there).
 *
 * Usage: deno task bench:whole [--n 0,10,1000,4000] [--reps 9] [--budget 60]
 *        [--only show,json,details,create,delete,rss] [--out FILE.md]
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
    n: { type: "string", default: "0,10,1000,4000" },
    reps: { type: "string", default: "9" },
    budget: { type: "string", default: "60" },
    only: { type: "string", default: "show,json,details,create,delete,rss" },
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
/** `deno task tuntap`, as README runs the CLI. */
const TUNTAP = (config.tasks.tuntap as string).split(" ").map((w) =>
  w === "deno" ? Deno.execPath() : w === "cli.ts" ? `${ROOT}cli.ts` : w
);
const DENO = Deno.execPath();
const FLOOR_SHOW = [DENO, "run", "--allow-ffi", `${ROOT}bench/floor/show.ts`];
const FLOOR_CREATE = [DENO, "run", "--allow-ffi", "--allow-read", `${ROOT}bench/floor/create.ts`];
const work = Deno.makeTempDirSync({ prefix: "tuntap-bench-" });
const EMPTY = `${work}/empty.ts`;
Deno.writeTextFileSync(EMPTY, "");
const BARE = [DENO, "run", EMPTY];

/** Runs a command to its end (from the checkout, whose deno.json applies); returns milliseconds. */
async function run(command: readonly string[], check = true): Promise<number> {
  const [program, ...args] = command;
  const started = performance.now();
  const output = await new Deno.Command(program as string, {
    args,
    cwd: ROOT,
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

/** A command measured against tuntap's. */
interface Reference {
  /** "ip", "floor" or "bare deno". */
  name: string;
  command: string[];
}

interface Row {
  name: string;
  n: number;
  ours: number;
  /** By reference name: its median, and the median of tuntap's time over its time. */
  against: Map<string, { median: number; ratio: number }>;
  reps: number;
}

const rows: Row[] = [];
const REFERENCES = ["ip", "floor", "bare deno"];

/**
 * Measures tuntap's command and the references the same way, in rotating
 * order, with the set-up before each run; stops adding repetitions once the
 * slowest command has used the time budget.
 */
async function compare(
  name: string,
  n: number,
  ours: string[],
  references: Reference[],
  before: () => Promise<void> = async () => {},
): Promise<void> {
  const commands = [ours, ...references.map((r) => r.command)];
  const times: number[][] = commands.map(() => []);
  let spent = 0;
  for (let rep = 0; rep < REPS; rep++) {
    for (let k = 0; k < commands.length; k++) {
      const i = (k + rep) % commands.length;
      await before();
      await settle();
      (times[i] as number[]).push(await run(commands[i] as string[]));
    }
    spent += Math.max(...times.map((t) => t.at(-1) as number)) / 1000;
    if (rep >= 1 && spent > BUDGET_S) break;
  }
  const mine = times[0] as number[];
  const row: Row = { name, n, ours: median(mine), against: new Map(), reps: mine.length };
  references.forEach((reference, k) => {
    const theirs = times[k + 1] as number[];
    row.against.set(reference.name, {
      median: median(theirs),
      ratio: median(mine.map((t, i) => t / (theirs[i] as number))),
    });
  });
  rows.push(row);
  const text = [...row.against].map(([ref, v]) =>
    `${ref} ${v.median.toFixed(1)} ms (×${v.ratio.toFixed(2)})`
  );
  // deno-lint-ignore no-console
  console.error(
    `${name.padEnd(14)} N=${String(n).padEnd(5)} tuntap ${row.ours.toFixed(1)} ms; ${
      text.join(", ")
    } [${row.reps} reps]`,
  );
}

/** A case run for each N: ip's arguments, ours, the floor's, and the set-up before each run. */
interface SizedCase {
  key: string;
  name: string;
  ip: (n: number) => string[];
  ours: (n: number) => string[];
  floor?: (n: number) => string[];
  before?: (n: number) => Promise<void>;
}

const batch = (verb: string) => (n: number) => [
  "-batch",
  batchFile(`${verb}-${n}`, names(n).map((d) => `tuntap ${verb} mode tun name ${d}`)),
];

const SIZED: readonly SizedCase[] = [
  {
    key: "show",
    name: "show",
    ip: () => ["tuntap", "show"],
    ours: () => ["show"],
    floor: () => FLOOR_SHOW,
  },
  {
    key: "json",
    name: "-j show",
    ip: () => ["-j", "tuntap", "show"],
    ours: () => ["-j", "show"],
    floor: () => [...FLOOR_SHOW, "-j"],
  },
  {
    key: "details",
    name: "-d show",
    ip: () => ["-d", "tuntap", "show"],
    ours: () => ["-d", "show"],
  },
  {
    key: "create",
    name: "create (batch)",
    ip: batch("add"),
    ours: batch("add"),
    floor: (n) => [...FLOOR_CREATE, `${work}/add-${n}`],
    before: clear,
  },
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

/** Peak resident set of a command in KiB, through /usr/bin/time. */
async function peakRss(command: readonly string[]): Promise<number> {
  const output = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%M", ...command],
    cwd: ROOT,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const lines = decoder.decode(output.stderr).trim().split("\n");
  return Number(lines.at(-1));
}

// Warm Deno's caches so no run pays for compiling.
await run([...TUNTAP, "show"]);
await run([...TUNTAP, "-j", "show"]);
await run(FLOOR_SHOW);
await run(BARE);

const rss: { name: string; kib: number }[] = [];
for (const n of SIZES) {
  await clear();
  await populate(n);
  for (const c of SIZED.filter((c) => ONLY.has(c.key))) {
    const before = c.before;
    // Creating or deleting nothing measures nothing a batch does.
    if (n === 0 && before !== undefined) continue;
    const references: Reference[] = [{ name: "ip", command: ["ip", ...c.ip(n)] }];
    // The batch file of the floor is the one ours wrote.
    const ours = [...TUNTAP, ...c.ours(n)];
    if (c.floor) references.push({ name: "floor", command: c.floor(n) });
    if (n === 0 && c.key === "show") references.push({ name: "bare deno", command: BARE });
    await compare(c.name, n, ours, references, before && (() => before(n)));
  }
  if (ONLY.has("rss") && n === Math.max(...SIZES)) {
    await clear();
    await populate(n);
    const measured: [string, string[]][] = [
      [`tuntap show (N = ${n})`, [...TUNTAP, "show"]],
      [`floor show (N = ${n})`, FLOOR_SHOW],
      [`tuntap -j show (N = ${n})`, [...TUNTAP, "-j", "show"]],
      [`floor -j show (N = ${n})`, [...FLOOR_SHOW, "-j"]],
      [`ip tuntap show (N = ${n})`, ["ip", "tuntap", "show"]],
      ["bare deno run", BARE],
    ];
    const samples = measured.map((): number[] => []);
    for (let rep = 0; rep < Math.min(REPS, 5); rep++) {
      for (const [i, [, command]] of measured.entries()) {
        (samples[i] as number[]).push(await peakRss(command));
      }
    }
    measured.forEach(([name], i) => rss.push({ name, kib: median(samples[i] as number[]) }));
  }
}
await clear();
Deno.removeSync(work, { recursive: true });

const kernel = decoder.decode((await new Deno.Command("uname", { args: ["-r"] }).output()).stdout)
  .trim();
const ip = decoder.decode((await new Deno.Command("ip", { args: ["-V"] }).output()).stdout).trim();
const cell = (row: Row, ref: string) => {
  const v = row.against.get(ref);
  return v === undefined ? "" : `${v.ratio.toFixed(2)} (${v.median.toFixed(1)} ms)`;
};
let table =
  `Linux ${kernel}, ${ip}, Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} CPUs; ` +
  `\`deno task bench:whole --n ${values.n} --reps ${values.reps} --only ${values.only}\`.\n\n`;
table +=
  `| case | N | tuntap (median) | ÷ ip (ip's median) | ÷ floor (floor's median) | ÷ bare \`deno run\` | reps |\n`;
table += "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n";
for (const r of rows) {
  table += `| ${r.name} | ${r.n} | ${r.ours.toFixed(1)} ms | ${
    REFERENCES.map((ref) => cell(r, ref)).join(" | ")
  } | ${r.reps} |\n`;
}
if (rss.length > 0) {
  table += "\n| peak resident set | MiB |\n| --- | ---: |\n";
  for (const r of rss) table += `| ${r.name} | ${(r.kib / 1024).toFixed(1)} |\n`;
}
// deno-lint-ignore no-console
console.log(table);
if (values.out) Deno.writeTextFileSync(values.out, table);
