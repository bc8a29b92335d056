/**
 * The kernel-test harness: every test runs in a network namespace of its
 * own, made with `ip netns add` and deleted afterwards, so no device ever
 * appears in the caller's namespace. When no namespace can be made (not
 * root, no iproute2, no /dev/net/tun), kernel tests are registered as
 * ignored and the reason is printed loudly: they are never counted as passed.
 */

const decoder = new TextDecoder();

/** Root of the repository. */
export const ROOT = new URL("../", import.meta.url).pathname;
/** The CLI entry point. */
export const CLI = `${ROOT}cli.ts`;

/** The outcome of a command. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, synchronously (no stdin). */
export function sh(command: string[], env: Record<string, string> = {}): Run {
  const [program, ...args] = command;
  const result = new Deno.Command(program as string, {
    args,
    stdin: "null",
    env: { LC_ALL: "C", ...env },
  }).outputSync();
  return {
    code: result.code,
    stdout: decoder.decode(result.stdout),
    stderr: decoder.decode(result.stderr),
  };
}

/**
 * The flags of `deno task tuntap`, so tests run the CLI exactly as README
 * says.
 *
 * @param root The checkout to run it from (this one by default).
 */
export function cliCommand(root: string = ROOT): string[] {
  const config = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`));
  const words = (config.tasks.tuntap as string).split(" ");
  return words.map((w) => (w === "deno" ? Deno.execPath() : w === "cli.ts" ? `${root}cli.ts` : w));
}

function probe(): string | undefined {
  if (Deno.build.os !== "linux") return "TUN/TAP devices exist only on Linux";
  // Deno wants --allow-all to stat anything under /dev; ask the shell.
  if (sh(["test", "-c", "/dev/net/tun"]).code !== 0) {
    return "/dev/net/tun is not a character device here";
  }
  const name = `tuntap-probe-${crypto.randomUUID().slice(0, 8)}`;
  let added: Run;
  try {
    added = sh(["ip", "netns", "add", name]);
  } catch (error) {
    return `iproute2 is not installed (${String(error)})`;
  }
  if (added.code !== 0) {
    return `"ip netns add" failed: ${added.stderr.trim()} (kernel tests need root)`;
  }
  sh(["ip", "netns", "del", name]);
  return undefined;
}

/** Why kernel tests cannot run here, or `undefined` when they can. */
export const KERNEL_SKIP_REASON: string | undefined = probe();
if (KERNEL_SKIP_REASON !== undefined) {
  // deno-lint-ignore no-console
  console.error(`\n*** KERNEL TESTS SKIPPED: ${KERNEL_SKIP_REASON} ***\n`);
}

let counter = 0;
/** Test files share a process under --parallel, each with its own module instance. */
const INSTANCE = crypto.randomUUID().slice(0, 8);

/** A process holding queues of a device open, until released. */
export class Holder {
  readonly #child: Deno.ChildProcess;
  readonly pid: number;

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.pid = child.pid;
  }

  /** Starts a holder in `ns` and waits until its queues are attached. */
  static async start(
    ns: TestNetns,
    name: string,
    mode: "tun" | "tap",
    queues = 1,
    mq = false,
  ): Promise<Holder> {
    const child = new Deno.Command("ip", {
      args: [
        "netns",
        "exec",
        ns.name,
        Deno.execPath(),
        "run",
        "-A",
        `${ROOT}tests/fixtures/hold.ts`,
        name,
        mode,
        String(queues),
        mq ? "mq" : "",
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const holder = new Holder(child);
    const reader = child.stdout.getReader();
    const { value } = await reader.read();
    reader.releaseLock();
    if (!decoder.decode(value).startsWith("ready")) {
      await holder.release();
      throw new Error(`The holder of ${name} did not start`);
    }
    return holder;
  }

  /** Closes its queues and waits for it to exit. */
  async release(): Promise<void> {
    await this.#child.stdin.close().catch(() => {});
    await this.#child.stdout.cancel().catch(() => {});
    const stderr = await new Response(this.#child.stderr).text();
    const status = await this.#child.status;
    if (!status.success) throw new Error(`The holder failed: ${stderr}`);
  }
}

/** A network namespace of its own for one test. */
export class TestNetns implements Disposable {
  readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }

  /** Creates a fresh namespace. */
  static create(): TestNetns {
    const name = `tuntap-${INSTANCE}-${++counter}`;
    const added = sh(["ip", "netns", "add", name]);
    if (added.code !== 0) throw new Error(`Cannot create namespace ${name}: ${added.stderr}`);
    return new TestNetns(name);
  }

  /** Runs a command inside the namespace (sysfs remounted, as ip netns exec does). */
  exec(command: string[], env: Record<string, string> = {}): Run {
    return sh(["ip", "netns", "exec", this.name, ...command], env);
  }

  /** Runs the CLI inside the namespace, with the flags of `deno task tuntap`. */
  cli(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Run {
    const command = ["ip", "netns", "exec", this.name, ...cliCommand(), ...args];
    return options.stdin === undefined
      ? sh(command, options.env)
      : runWithStdin(command, options.stdin);
  }

  /** `ip -j tuntap show` inside the namespace: iproute2's independent view. */
  ipTuntap(): { ifname: string; flags: string[]; user?: number; group?: number }[] {
    const result = sh(["ip", "-n", this.name, "-j", "tuntap", "show"]);
    if (result.code !== 0) throw new Error(`ip tuntap show failed: ${result.stderr}`);
    return JSON.parse(result.stdout);
  }

  /** `ip -j -d link show` inside the namespace. */
  ipLinks(): Record<string, unknown>[] {
    const result = sh(["ip", "-n", this.name, "-j", "-d", "link", "show"]);
    if (result.code !== 0) throw new Error(`ip link show failed: ${result.stderr}`);
    return JSON.parse(result.stdout);
  }

  /** Deletes the namespace and every device in it. */
  [Symbol.dispose](): void {
    sh(["ip", "netns", "del", this.name]);
  }
}

function runWithStdin(command: string[], stdin: string): Run {
  const file = Deno.makeTempFileSync({ prefix: "tuntap-stdin-" });
  try {
    Deno.writeTextFileSync(file, stdin);
    return sh(["sh", "-c", '"$0" "$@" < "$STDIN_FILE"', ...command], { STDIN_FILE: file });
  } finally {
    Deno.removeSync(file);
  }
}

/** Registers a test that runs in a namespace of its own, or is ignored (loudly) when none can be made. */
export function kernelTest(name: string, fn: (ns: TestNetns) => void | Promise<void>): void {
  Deno.test({
    name,
    ignore: KERNEL_SKIP_REASON !== undefined,
    async fn() {
      using ns = TestNetns.create();
      await fn(ns);
    },
  });
}

let prepared: { root: string; denoDir: string; wrapper: string } | undefined;

/** What the package is made of, for a copy that runs elsewhere. */
const PACKAGE = ["cli.ts", "mod.ts", "deno.json", "deno.lock", "lib", "ffi"];

/**
 * A copy of the package that uid 65534 can read, with a DENO_DIR it can
 * read and write holding the CLI already compiled: the checkout itself may
 * sit in a directory only root can enter.
 *
 * @returns The copy's root (with a final slash), its DENO_DIR, and a copy of
 *   the compat battery's `ip-as-tuntap` wrapper.
 */
export function nobodyCheckout(): { root: string; denoDir: string; wrapper: string } {
  if (prepared) return prepared;
  const dir = Deno.makeTempDirSync({ prefix: "tuntap-nobody-" });
  Deno.chmodSync(dir, 0o755);
  const root = `${dir}/pkg/`;
  Deno.mkdirSync(root);
  const copied = sh(["cp", "-R", ...PACKAGE.map((p) => `${ROOT}${p}`), root]);
  if (copied.code !== 0) throw new Error(`Cannot copy the package: ${copied.stderr}`);
  const denoDir = `${dir}/deno-dir`;
  const cached = sh([Deno.execPath(), "cache", `${root}cli.ts`], { DENO_DIR: denoDir });
  if (cached.code !== 0) throw new Error(`deno cache failed: ${cached.stderr}`);
  const wrapper = `${dir}/ip-as-tuntap`;
  Deno.copyFileSync(`${ROOT}tests/compat/ip-as-tuntap`, wrapper);
  sh(["chmod", "-R", "a+rX", root, wrapper]);
  sh(["chmod", "-R", "a+rwX", denoDir]);
  prepared = { root, denoDir, wrapper };
  return prepared;
}

/** What {@linkcode runBatch} saw. */
export interface BatchRun {
  code: number;
  stdout: string;
  stderr: string;
  left: ReturnType<TestNetns["ipTuntap"]>;
}

/**
 * Runs a batch file through a command (`ip` or the CLI) in `ns`; returns the
 * status, the output without hint lines, and the devices left.
 */
export function runBatch(
  ns: TestNetns,
  command: string[],
  lines: string[],
  force: boolean,
): BatchRun {
  const file = Deno.makeTempFileSync({ prefix: "tuntap-batch-" });
  Deno.writeTextFileSync(file, lines.join("\n") + "\n");
  const result = ns.exec([...command, ...(force ? ["-force"] : []), "-batch", file]);
  Deno.removeSync(file);
  return {
    code: result.code,
    stdout: result.stdout,
    stderr: result.stderr.split("\n").filter((l) => !l.startsWith("  hint: ")).join("\n")
      .replaceAll(file, "FILE"),
    left: ns.ipTuntap(),
  };
}
