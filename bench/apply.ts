/**
 * `tuntap apply` benchmark, in namespaces it makes: creating N devices with
 * an address each and up from a config, against `ip -batch` of the
 * equivalent 3N lines (`tuntap add`, `addr add`, `link set up`); and a
 * no-op apply of that config against `tuntap -j info` of the same devices.
 * Runs are interleaved; medians of the paired ratios are reported.
 *
 * Usage: deno run -A bench/apply.ts [--reps 5] [--count 1000]
 *
 * @module
 */

// deno-lint-ignore-file no-console
import { parseArgs } from "node:util";

const ROOT = new URL("../", import.meta.url).pathname;
const { values } = parseArgs({
  args: Deno.args,
  options: { reps: { type: "string", default: "5" }, count: { type: "string", default: "1000" } },
});
const REPS = Number(values.reps);
const COUNT = Number(values.count);
const CLI = [Deno.execPath(), "run", "--allow-ffi", "--allow-read", `${ROOT}cli.ts`];

function sh(args: string[]): void {
  const r = new Deno.Command(args[0] as string, { args: args.slice(1) }).outputSync();
  if (!r.success) throw new Error(`${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
}

/** Seconds a command takes. */
function timed(args: string[]): number {
  const start = performance.now();
  sh(args);
  return (performance.now() - start) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] as number : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const work = Deno.makeTempDirSync({ prefix: "tuntap-apply-bench-" });
let yaml = "version: 1\ndevices:\n";
let batch = "";
for (let i = 0; i < COUNT; i++) {
  const address = `10.${100 + (i >> 8)}.${i & 255}.1/32`;
  yaml += `  - { name: b${i}, mode: tun, up: true, addresses: [${address}] }\n`;
  batch += `tuntap add dev b${i} mode tun\naddr add ${address} dev b${i}\nlink set dev b${i} up\n`;
}
Deno.writeTextFileSync(`${work}/config.yaml`, yaml);
Deno.writeTextFileSync(`${work}/config.batch`, batch);

const ns = `tuntap-apply-bench-${Deno.pid}`;
const fresh = () => {
  new Deno.Command("ip", { args: ["netns", "del", ns] }).outputSync();
  sh(["ip", "netns", "add", ns]);
};
const rows: Record<string, { ours: number[]; theirs: number[]; ratios: number[] }> = {
  create: { ours: [], theirs: [], ratios: [] },
  noop: { ours: [], theirs: [], ratios: [] },
};
const record = (row: string, ours: number, theirs: number) => {
  const r = rows[row] as { ours: number[]; theirs: number[]; ratios: number[] };
  r.ours.push(ours);
  r.theirs.push(theirs);
  r.ratios.push(ours / theirs);
};
try {
  for (let rep = 0; rep < REPS; rep++) {
    const apply = () => {
      fresh();
      return timed(["ip", "netns", "exec", ns, ...CLI, "apply", `${work}/config.yaml`]);
    };
    const ip = () => {
      fresh();
      return timed(["ip", "-n", ns, "-batch", `${work}/config.batch`]);
    };
    let ours: number;
    let theirs: number;
    if (rep % 2) {
      theirs = ip();
      ours = apply();
    } else {
      ours = apply();
      theirs = ip();
    }
    record("create", ours, theirs);
    // The namespace now holds the devices apply made: a no-op apply, and info.
    const noop = () => timed(["ip", "netns", "exec", ns, ...CLI, "apply", `${work}/config.yaml`]);
    const info = () => timed(["ip", "netns", "exec", ns, ...CLI, "-j", "info"]);
    if (rep % 2) {
      theirs = info();
      ours = noop();
    } else {
      ours = noop();
      theirs = info();
    }
    record("noop", ours, theirs);
  }
} finally {
  new Deno.Command("ip", { args: ["netns", "del", ns] }).outputSync();
  Deno.removeSync(work, { recursive: true });
}
console.log(`| case (${COUNT} devices, ${REPS} runs) | tuntap | reference | ratio |`);
console.log("| --- | --- | --- | --- |");
const ms = (xs: number[]) => `${(median(xs) * 1000).toFixed(0)} ms`;
const create = rows.create as { ours: number[]; theirs: number[]; ratios: number[] };
const noop = rows.noop as { ours: number[]; theirs: number[]; ratios: number[] };
console.log(
  `| apply: create, address, up | ${ms(create.ours)} | ip -batch ${ms(create.theirs)} | ${
    median(create.ratios).toFixed(2)
  } |`,
);
console.log(
  `| apply: nothing to do | ${ms(noop.ours)} | tuntap -j info ${ms(noop.theirs)} | ${
    median(noop.ratios).toFixed(2)
  } |`,
);
