/**
 * Packet I/O benchmark: packets per second read, written and echoed on one
 * queue of a tun device, by the library (`bench/packets/packets_deno.ts`)
 * and by a small C program (`bench/packets/packets.c`, built here with the
 * machine's `cc`), in the same run on the same traffic: a C `sendmmsg`
 * generator sends UDP datagrams into the device's route. Runs are
 * interleaved; the medians and the median of the paired ratios are
 * reported. Everything happens in a private network namespace.
 *
 * Usage: deno run -A bench/packets.ts [--reps 3] [--seconds 2] [--sizes 64,1400] [--only TEXT]
 * (`--only`: the cases whose name contains TEXT)
 *
 * @module
 */

// deno-lint-ignore-file no-console
import { parseArgs } from "node:util";

const HERE = new URL(".", import.meta.url).pathname;
const { values } = parseArgs({
  args: Deno.args,
  options: {
    inner: { type: "boolean", default: false },
    reps: { type: "string", default: "3" },
    seconds: { type: "string", default: "2" },
    sizes: { type: "string", default: "64,1400" },
    only: { type: "string", default: "" },
  },
});

if (!values.inner) {
  const status = await new Deno.Command("unshare", {
    args: [
      "--net",
      Deno.execPath(),
      "run",
      "-A",
      new URL(import.meta.url).pathname,
      "--inner",
      ...Deno.args,
    ],
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn().status;
  Deno.exit(status.code);
}

const SECONDS = Number(values.seconds);
const REPS = Number(values.reps);
const SIZES = values.sizes.split(",").map(Number);
const work = Deno.makeTempDirSync({ prefix: "tuntap-packets-" });
const C = `${work}/packets`;

function sh(args: string[]): void {
  const r = new Deno.Command(args[0] as string, { args: args.slice(1) }).outputSync();
  if (!r.success) throw new Error(`${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
}

sh(["cc", "-O2", "-o", C, `${HERE}packets/packets.c`]);
for (
  const line of [
    "ip link set lo up",
    "ip tuntap add tun0 mode tun",
    "ip link set tun0 addrgenmode none",
    // A long queue, so that a drain has something to read.
    "ip link set tun0 txqueuelen 100000",
    "ip addr add 10.9.0.1/24 dev tun0",
    "ip link set tun0 up",
  ]
) sh(line.split(" "));

/** Runs a program that prints "ready" and then a count; traffic starts once it is ready. */
async function measure(
  command: string[],
  traffic: string[] | undefined,
  trafficSeconds = SECONDS + 0.5,
): Promise<number> {
  const child = new Deno.Command(command[0] as string, {
    args: command.slice(1),
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("ready\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${command.join(" ")} ended before it was ready`);
    text += decoder.decode(value);
  }
  const generator = traffic &&
    new Deno.Command(C, { args: ["gen", ...traffic, String(trafficSeconds)] }).spawn();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  await child.status;
  await generator?.status;
  const [count, seconds] = (text.trim().split("\n").at(-1) as string).split(" ").map(Number);
  return (count as number) / (seconds ?? SECONDS);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] as number : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const DENO = [Deno.execPath(), "run", "--allow-ffi", `${HERE}packets/packets_deno.ts`];
const cases: { name: string; size: number; c: string[]; deno: string[]; traffic: boolean }[] = [];
for (const size of SIZES) {
  const s = String(SECONDS);
  cases.push(
    {
      name: "drain (read capacity)",
      size,
      c: ["drain", "tun0", "300"],
      deno: ["drain", "tun0", "300"],
      traffic: true,
    },
    {
      name: "read under traffic",
      size,
      c: ["read", "tun0", s],
      deno: ["read", "tun0", s],
      traffic: true,
    },
    {
      name: "write",
      size,
      c: ["write", "tun0", String(size), s],
      deno: ["write", "tun0", String(size), s],
      traffic: false,
    },
    { name: "echo", size, c: ["echo", "tun0", s], deno: ["echo", "tun0", s], traffic: true },
  );
  cases.push({
    name: "for await of 50,000 queued",
    size,
    c: ["drain", "tun0", "300", "50000"],
    deno: ["iterate", "tun0", "300", "50000"],
    traffic: true,
  });
  cases.push({
    name: "readable() of 50,000 queued",
    size,
    c: ["drain", "tun0", "300", "50000"],
    deno: ["stream", "tun0", "300", "50000"],
    traffic: true,
  });
  cases.push({
    name: "drain, a copy each",
    size,
    c: ["drain", "tun0", "300"],
    deno: ["drain", "tun0", "300", "copy"],
    traffic: true,
  });
  if (size === SIZES[0]) {
    cases.push({
      name: "for await under traffic",
      size,
      c: ["read", "tun0", s],
      deno: ["copy", "tun0", s],
      traffic: true,
    });
  }
}

console.log("| case | size | C packets/s | tuntap packets/s | tuntap / C |");
console.log("| --- | --- | --- | --- | --- |");
for (const { name, size, c, deno, traffic } of cases) {
  if (!name.includes(values.only)) continue;
  const ours: number[] = [];
  const theirs: number[] = [];
  const ratios: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const gen = traffic ? ["10.9.0.2", "9", String(size)] : undefined;
    const pair: [() => Promise<number>, number[]][] = [
      // A drain reads 5 rounds, each after 0.3 s of filling, with the traffic on.
      [() => measure([C, ...c], gen, c[0] === "drain" ? 2.5 : undefined), theirs],
      [() => measure([...DENO, ...deno], gen, c[0] === "drain" ? 2.5 : undefined), ours],
    ];
    if (rep % 2 === 1) pair.reverse();
    for (const [run, into] of pair) into.push(await run());
    ratios.push((ours.at(-1) as number) / (theirs.at(-1) as number));
  }
  console.log(
    `| ${name} | ${size} B | ${Math.round(median(theirs))} | ${Math.round(median(ours))} | ${
      median(ratios).toFixed(2)
    } |`,
  );
}
// CPU per packet at a fixed rate: what a reader costs when it is not saturated.
const PACED = 50_000;
if ("cpu per packet".includes(values.only) || values.only === "cpu") {
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const gen = ["10.9.0.2", "9", "64", String(SECONDS + 0.5), String(PACED)];
    const pair: [string[], number[]][] = [
      [[C, "cpu", "tun0", String(SECONDS)], theirs],
      [[...DENO, "cpu", "tun0", String(SECONDS)], ours],
    ];
    if (rep % 2 === 1) pair.reverse();
    for (const [command, into] of pair) {
      // measure() gives packets / the second number: here, packets per CPU second.
      into.push(1e6 / await measure(command, gen));
    }
  }
  console.log(
    `\nCPU per packet at ${PACED} packets/s (64 B; the process's user + system time, all its` +
      ` threads): C ${median(theirs).toFixed(2)} µs, tuntap ${median(ours).toFixed(2)} µs` +
      ` (${(median(ours) / median(theirs)).toFixed(2)} ×)`,
  );
}

// How long close() takes to end a pending read (an idle queue, 200 trials).
const abort = new Deno.Command(DENO[0] as string, {
  args: [...DENO.slice(1), "abort", "tun0", "200"],
}).outputSync();
const [p50, p99, r50, r99] = new TextDecoder().decode(abort.stdout).trim().split("\n").at(-1)!
  .split(" ");
console.log(
  `\nclose() of a pending read (200 trials): the read ends in ${p50} ms (median), ${p99} ms (p99);` +
    ` the poll thread has returned and the descriptor is closed in ${r50} ms, ${r99} ms`,
);
Deno.removeSync(work, { recursive: true });
