/**
 * Packet I/O through queues, in namespaces the tests make: the seed
 * programs against `ping`, framing, cancellation, multi-queue and the
 * errors of opening a queue.
 */

import assert from "node:assert/strict";
import {
  createTunTap,
  openQueue,
  openQueues,
  parsePacketInfo,
  TunTapError,
  type TunTapQueue,
} from "../mod.ts";
import { kernelTest, ROOT, sh, TestNetns } from "./_netns.ts";

const PING = sh(["sh", "-c", "command -v ping"]).code === 0;
if (!PING) {
  // deno-lint-ignore no-console
  console.error("\n*** PING IS NOT INSTALLED: the packet I/O tests that need it fail ***\n");
}

/** Gives a device 10.9.0.1/24 (and `more` addresses) and no link-local address, and sets it up. */
function configure(ns: TestNetns, name: string, more: string[] = []): void {
  for (
    const line of [
      `ip link set lo up`,
      // No link-local address: no router solicitation or MLD report comes out unasked.
      `ip link set ${name} addrgenmode none`,
      `ip addr add 10.9.0.1/24 dev ${name}`,
      ...more,
      `ip link set ${name} up`,
    ]
  ) {
    const r = ns.exec(line.split(" "));
    assert.equal(r.code, 0, `${line}: ${r.stderr}`);
  }
}

/** A tun with 10.9.0.1/24 and fd00::1/64 (no DAD), up, in `ns`. */
function tunWithAddresses(ns: TestNetns, name = "tun0", pi = false): void {
  createTunTap({ name, mode: "tun", pi, netns: ns.name });
  configure(ns, name, [`ip addr add fd00::1/64 dev ${name} nodad`]);
}

/** `ping` in the namespace, without blocking the event loop. */
async function ping(
  ns: TestNetns,
  address: string,
  count = 3,
): Promise<{ code: number; out: string }> {
  const six = address.includes(":") ? ["-6"] : [];
  const r = await new Deno.Command("ip", {
    args: [
      "netns",
      "exec",
      ns.name,
      "ping",
      ...six,
      "-c",
      String(count),
      "-i",
      "0.2",
      "-W",
      "2",
      address,
    ],
  }).output();
  return {
    code: r.code,
    out: new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr),
  };
}

/** Waits until the device has carrier: a queue is attached. */
async function carrier(ns: TestNetns, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const link = JSON.parse(ns.exec(["ip", "-j", "link", "show", name]).stdout)[0];
    if (link?.flags?.includes("LOWER_UP")) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${name} never got carrier`);
}

/** Runs an example in the namespace until `work` is done, then SIGTERM; its stdout. */
async function withExample(
  ns: TestNetns,
  args: string[],
  work: () => Promise<void>,
): Promise<{ code: number; stdout: string }> {
  const child = new Deno.Command("ip", {
    args: ["netns", "exec", ns.name, Deno.execPath(), "run", "--allow-ffi", ...args],
    stdout: "piped",
    stderr: "piped",
    cwd: ROOT,
  }).spawn();
  try {
    await carrier(ns, args[1] as string);
    await work();
  } finally {
    child.kill("SIGTERM");
  }
  const out = await child.output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

async function closeAll(queues: TunTapQueue[]): Promise<void> {
  for (const q of queues) q.close();
  await Promise.all(queues.map((q) => q.whenClosed));
}

kernelTest("tun_reader.ts prints one line per packet ping sends", async (ns) => {
  tunWithAddresses(ns);
  const { code, stdout } = await withExample(
    ns,
    ["examples/tun_reader.ts", "tun0", "--decode"],
    async () => {
      const r = await ping(ns, "10.9.0.2");
      assert.notEqual(r.code, 0, "nobody answers behind a reader");
    },
  );
  assert.equal(code, 0);
  assert.equal(
    stdout,
    "get data from tun. data size = 84 IPv4 ICMP 10.9.0.1 > 10.9.0.2\n".repeat(3),
  );
});

kernelTest("icmp_echo.ts makes ping succeed over IPv4 and IPv6", async (ns) => {
  tunWithAddresses(ns);
  const { code } = await withExample(ns, ["examples/icmp_echo.ts", "tun0"], async () => {
    const v4 = await ping(ns, "10.9.0.2");
    assert.equal(v4.code, 0, v4.out);
    assert.match(v4.out, /3 packets transmitted, 3 received/);
    const v6 = await ping(ns, "fd00::2");
    assert.equal(v6.code, 0, v6.out);
    assert.match(v6.out, /3 packets transmitted, 3 received/);
  });
  assert.equal(code, 0);
});

kernelTest(
  "a pi device's packets start with tun_pi; written back, they are answered",
  async (ns) => {
    tunWithAddresses(ns, "tun0", true);
    const queue = openQueue("tun0", { netns: ns.name });
    assert.equal(queue.pi, true);
    const pinging = ping(ns, "10.9.0.2", 1);
    const protocols: number[] = [];
    await queue.readBatch((buffer, length) => {
      protocols.push(parsePacketInfo(buffer.subarray(0, length)).protocol);
    });
    assert.deepEqual(protocols.slice(0, 1), [0x0800]);
    await pinging;
    await closeAll([queue]);
  },
);

kernelTest("the library's echo path (readBatch + writeBuffer) answers ping", async (ns) => {
  tunWithAddresses(ns);
  const queue = openQueue("tun0", { netns: ns.name });
  const { echoReply } = await import("../examples/_packets.ts");
  const serving = (async () => {
    while (
      await queue.readBatch((buffer, length) => {
        if (echoReply(buffer.subarray(0, length))) assert.ok(queue.writeBuffer(length));
      }) > 0
    );
  })();
  const r = await ping(ns, "10.9.0.2");
  assert.equal(r.code, 0, r.out);
  queue.close();
  await serving;
  await queue.whenClosed;
});

kernelTest("abort and close end a pending read at once, and leave nothing behind", async (ns) => {
  createTunTap({ name: "idle0", mode: "tun", netns: ns.name });
  for (const how of ["abort", "close"] as const) {
    const controller = new AbortController();
    const queue = openQueue("idle0", { netns: ns.name, signal: controller.signal });
    const pending = queue.readBatch(() => assert.fail("no packet comes"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const start = performance.now();
    if (how === "abort") controller.abort();
    else queue.close();
    assert.equal(await pending, 0);
    assert.equal(await queue.read(), null);
    await queue.whenClosed;
    const took = performance.now() - start;
    assert.ok(took < 100, `${how}: the read ended after ${took.toFixed(1)} ms`);
  }
  // The device is idle again: no queue holds it.
  assert.deepEqual(ns.ipTuntap().map((d) => d.flags), [["tun", "persist"]]);
});

kernelTest("queues of a multi-queue device: opened together, detached, attached", async (ns) => {
  const queues = openQueues("mq0", 3, {
    netns: ns.name,
    create: { mode: "tun", multiQueue: true },
  });
  assert.deepEqual(queues.map((q) => [q.index, q.multiQueue]), [[0, true], [1, true], [2, true]]);
  const queuesOf = () =>
    JSON.parse(ns.exec(["ip", "-j", "-d", "link", "show", "mq0"]).stdout)[0]
      .linkinfo.info_data;
  assert.equal(queuesOf().numqueues ?? queuesOf().num_queues, 3);
  queues[1]?.detach();
  assert.equal(queuesOf().numdisabled ?? queuesOf().num_disabled_queues, 1);
  queues[1]?.attach();
  assert.equal(queuesOf().numdisabled ?? queuesOf().num_disabled_queues ?? 0, 0);
  await closeAll(queues);
  // Not persistent: it went away with its last queue.
  assert.deepEqual(ns.ipTuntap(), []);
});

kernelTest(
  "opening a queue fails clearly: missing, other mode, held, not a TUN/TAP device",
  (ns) => {
    const netns = ns.name;
    createTunTap({ name: "tap0", mode: "tap", netns });
    createTunTap({ name: "tun1", mode: "tun", netns });
    const failure = (run: () => unknown): TunTapError => {
      try {
        run();
      } catch (error) {
        if (error instanceof TunTapError) return error;
        throw error;
      }
      assert.fail("no error");
    };
    const missing = failure(() => openQueue("nosuch0", { netns }));
    assert.equal(missing.code, "ENODEV");
    assert.match(missing.hint ?? "", /create it first/);
    const mode = failure(() => openQueue("tap0", { netns, mode: "tun" }));
    assert.equal(mode.code, "EINVAL");
    assert.match(mode.message, /tap device, not tun/);
    const notTun = failure(() => openQueue("lo", { netns }));
    assert.match(notTun.message, /not a TUN\/TAP device/);
    using first = openQueue("tun1", { netns });
    const held = failure(() => openQueue("tun1", { netns }));
    assert.equal(held.code, "EBUSY");
    assert.match(held.hint ?? "", /single-queue device whose queue is open/);
    first.close();
  },
);

kernelTest(
  "udp_tunnel.ts joins two nodes' containers: ping crosses the tunnel and back",
  async (node1) => {
    using node2 = TestNetns.create();
    using container1 = TestNetns.create();
    using container2 = TestNetns.create();
    const run = (ns: TestNetns, line: string) => {
      const r = ns.exec(line.split(" "));
      assert.equal(r.code, 0, `${line}: ${r.stderr}`);
    };
    const ip = (line: string) => {
      const r = sh(["ip", ...line.split(" ")]);
      assert.equal(r.code, 0, `ip ${line}: ${r.stderr}`);
    };
    // The nodes' link, and a container behind each node.
    ip(`link add n1 netns ${node1.name} type veth peer name n2 netns ${node2.name}`);
    ip(`link add c1 netns ${container1.name} type veth peer name h1 netns ${node1.name}`);
    ip(`link add c2 netns ${container2.name} type veth peer name h2 netns ${node2.name}`);
    for (
      const [ns, lines] of [
        [node1, [
          "ip addr add 192.168.50.1/24 dev n1",
          "ip addr add 172.16.1.1/24 dev h1",
          "ip link set n1 up",
          "ip link set h1 up",
          "sysctl -qw net.ipv4.ip_forward=1",
        ]],
        [node2, [
          "ip addr add 192.168.50.2/24 dev n2",
          "ip addr add 172.16.2.1/24 dev h2",
          "ip link set n2 up",
          "ip link set h2 up",
          "sysctl -qw net.ipv4.ip_forward=1",
        ]],
        [container1, [
          "ip addr add 172.16.1.2/24 dev c1",
          "ip link set c1 up",
          "ip route add default via 172.16.1.1",
        ]],
        [container2, [
          "ip addr add 172.16.2.2/24 dev c2",
          "ip link set c2 up",
          "ip route add default via 172.16.2.1",
        ]],
      ] as const
    ) {
      run(ns, "ip link set lo up");
      for (const line of lines) run(ns, line);
    }
    // A tun on each node, and the other side's containers routed into it.
    for (const [ns, local, remote] of [[node1, "1", "2"], [node2, "2", "1"]] as const) {
      createTunTap({ name: "tun0", mode: "tun", netns: ns.name });
      run(ns, "ip link set tun0 addrgenmode none");
      run(ns, `ip addr add 10.200.0.${local}/24 dev tun0`);
      run(ns, "ip link set tun0 up");
      run(ns, `ip route add 172.16.${remote}.0/24 dev tun0`);
    }
    const tunnel = (ns: TestNetns, local: string, remote: string) =>
      new Deno.Command("ip", {
        args: [
          "netns",
          "exec",
          ns.name,
          Deno.execPath(),
          "run",
          "--allow-ffi",
          "--allow-net",
          "--unstable-net",
          "examples/udp_tunnel.ts",
          "--dev",
          "tun0",
          "--listen",
          `192.168.50.${local}:5555`,
          "--peer",
          `192.168.50.${remote}:5555`,
        ],
        cwd: ROOT,
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    const tunnels = [tunnel(node1, "1", "2"), tunnel(node2, "2", "1")];
    try {
      await carrier(node1, "tun0");
      await carrier(node2, "tun0");
      const r = await ping(container1, "172.16.2.2");
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /3 packets transmitted, 3 received/);
    } finally {
      for (const t of tunnels) t.kill("SIGTERM");
    }
    for (const t of tunnels) {
      const out = await t.output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    }
  },
);

kernelTest("tap_responder.ts on a bridge answers ARP and ping as a VM would", async (ns) => {
  createTunTap({ name: "tap0", mode: "tap", netns: ns.name });
  for (
    const line of [
      "ip link set lo up",
      "ip link add br0 type bridge",
      "ip link set br0 addrgenmode none",
      "ip link set tap0 addrgenmode none",
      "ip addr add 10.7.0.1/24 dev br0",
      "ip link set tap0 master br0",
      "ip link set tap0 up",
      "ip link set br0 up",
    ]
  ) {
    const r = ns.exec(line.split(" "));
    assert.equal(r.code, 0, `${line}: ${r.stderr}`);
  }
  const { code } = await withExample(
    ns,
    ["examples/tap_responder.ts", "tap0", "10.7.0.2", "02:00:00:00:07:02"],
    async () => {
      const r = await ping(ns, "10.7.0.2");
      assert.equal(r.code, 0, r.out);
      const neighbour = ns.exec(["ip", "neigh", "show", "10.7.0.2"]).stdout;
      assert.match(neighbour, /lladdr 02:00:00:00:07:02/);
    },
  );
  assert.equal(code, 0);
});

kernelTest(
  "a vnet_hdr device's packets carry the virtio-net header, of the size set",
  async (ns) => {
    createTunTap({ name: "vn0", mode: "tun", vnetHdr: true, netns: ns.name });
    configure(ns, "vn0");
    const queue = openQueue("vn0", { netns: ns.name });
    assert.equal(queue.vnetHdr, true);
    assert.equal(queue.vnetHdrSize, 10);
    const sizes: [number, number, number][] = [];
    for (const headerSize of [10, 12]) {
      queue.vnetHdrSize = headerSize;
      assert.equal(queue.vnetHdrSize, headerSize);
      const pinging = ping(ns, "10.9.0.2", 1);
      await queue.readBatch((buffer, length) => {
        // After the header: an IPv4 packet of 84 bytes (ping's default).
        if (sizes.length < 2) sizes.push([headerSize, length, buffer[headerSize]! >> 4]);
      });
      await pinging;
    }
    assert.deepEqual(sizes, [[10, 94, 4], [12, 96, 4]]);
    await closeAll([queue]);
  },
);

kernelTest(
  "the flows sent to a multi-queue device are spread over its queues, all received",
  async (ns) => {
    const queues = openQueues("mq0", 2, {
      netns: ns.name,
      create: { mode: "tun", multiQueue: true },
    });
    configure(ns, "mq0");
    // 64 UDP flows (one datagram each, from 64 source ports) to an address behind the device.
    const send = ns.exec([
      "python3",
      "-c",
      "import socket\nfor p in range(64):\n s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n s.bind(('10.9.0.1',20000+p))\n s.sendto(b'x'*32,('10.9.0.2',9))\n s.close()",
    ]);
    assert.equal(send.code, 0, send.stderr);
    const counts = queues.map((q) => q.drain((buffer) => assert.equal(buffer[9], 17)));
    assert.equal(counts[0]! + counts[1]!, 64, `per queue: ${counts}`);
    assert.ok(counts.every((n) => n > 0), `the kernel used one queue only: ${counts}`);
    await closeAll(queues);
  },
);

kernelTest("for await gives each packet as a copy of its own", async (ns) => {
  tunWithAddresses(ns);
  const queue = openQueue("tun0", { netns: ns.name });
  const pinging = ping(ns, "10.9.0.2", 3);
  const packets: Uint8Array[] = [];
  for await (const packet of queue) {
    if (packet[0]! >> 4 === 4 && packet[9] === 1) packets.push(packet);
    if (packets.length === 3) break;
  }
  await pinging;
  // ICMP echo sequence numbers 1, 2, 3: later reads did not overwrite earlier packets.
  assert.deepEqual(packets.map((p) => (p[26]! << 8) | p[27]!), [1, 2, 3]);
  await closeAll([queue]);
});
