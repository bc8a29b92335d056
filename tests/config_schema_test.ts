/**
 * The JSON Schema of the config format (`config.schema.json`, for editors)
 * against the validator that `tuntap apply` uses (`parseConfig`): the
 * schema compiles in ajv's strict mode, names the same device keys as
 * `DEVICE_KEYS`, and the two agree on a corpus of good and bad configs.
 * Where the schema cannot say what `parseConfig` checks, or the two differ
 * on purpose, the difference is listed (and asserted) in `KNOWN_DIFFERENCES`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import schema from "../config.schema.json" with { type: "json" };
import { ConfigError, DEVICE_KEYS, parseConfig } from "../lib/config/parse.ts";

/** One config of the corpus: a name for messages, and the value (as JSON would have it). */
interface Entry {
  name: string;
  config: unknown;
}

/** A config with one device: `tun0`, a tun, with `extra` on top. */
function tun(extra: Record<string, unknown> = {}): unknown {
  return { version: 1, devices: [{ name: "tun0", mode: "tun", ...extra }] };
}

/** A config with one device: `tap0`, a tap, with `extra` on top. */
function tap(extra: Record<string, unknown> = {}): unknown {
  return { version: 1, devices: [{ name: "tap0", mode: "tap", ...extra }] };
}

/** A config with one tun whose `addresses` is `list`. */
function addresses(...list: unknown[]): unknown {
  return tun({ addresses: list });
}

const GOOD: Entry[] = [
  { name: "an empty device list", config: { version: 1, devices: [] } },
  { name: "devices: null", config: { version: 1, devices: null } },
  { name: "a minimal tun", config: tun() },
  { name: "a minimal tap", config: tap() },
  {
    name: "a tap with every key",
    config: tap({
      owner: 1000,
      group: "netdev",
      pi: false,
      vnet_hdr: true,
      multi_queue: true,
      up: true,
      mtu: 9000,
      txqueuelen: 1000,
      mac: "02:00:5e:10:00:01",
      master: "br0",
      netns: "blue",
      addresses: ["10.1.0.1/24", { address: "fd00::1/64", peer: "fd00::2" }],
    }),
  },
  {
    name: "a tun with every key but mac",
    config: tun({
      owner: "nobody",
      group: 0,
      pi: true,
      vnet_hdr: false,
      multi_queue: false,
      up: false,
      mtu: 1400,
      txqueuelen: 0,
      master: null,
      netns: "/run/netns/red",
      addresses: [],
    }),
  },
  { name: "mac with - separators", config: tap({ mac: "02-00-5e-10-00-01" }) },
  { name: "mac in upper case", config: tap({ mac: "0A:BB:CC:DD:EE:FF" }) },
  {
    name: "mac with one-digit octets (as parseMac reads them)",
    config: tap({ mac: "2:0:0:0:0:1" }),
  },
  {
    name: "mac with mixed separators (as parseMac reads them)",
    config: tap({ mac: "02-00:00-00:00-01" }),
  },
  {
    name: "mtu and txqueuelen at their bounds",
    config: {
      version: 1,
      devices: [
        { name: "a", mode: "tun", mtu: 68, txqueuelen: 0 },
        { name: "b", mode: "tun", mtu: 65535, txqueuelen: 4294967295 },
      ],
    },
  },
  { name: "owner and group at their bounds", config: tun({ owner: 0, group: 4294967294 }) },
  { name: "owner and group as digit strings", config: tun({ owner: "1000", group: "27" }) },
  { name: "a 15-byte name", config: tun({ name: "abcdefghijklmno" }) },
  { name: 'a name "..."', config: tun({ name: "..." }) },
  { name: "a name with - . _ @", config: tun({ name: "v-1.x_y@z" }) },
  { name: "a short non-ASCII name", config: tun({ name: "tün0" }) },
  { name: "master a name", config: tap({ master: "br-lan" }) },
  {
    name: "one name in two namespaces",
    config: {
      version: 1,
      devices: [
        { name: "tun0", mode: "tun" },
        { name: "tun0", mode: "tun", netns: "blue" },
      ],
    },
  },
  {
    name: "IPv4 addresses",
    config: addresses("10.0.0.1/24", "10.0.0.2", "0.0.0.0/0", "255.255.255.255/32", "192.0.2.9/9"),
  },
  {
    name: "IPv6 addresses",
    config: addresses(
      "fd00::1/64",
      "::1/128",
      "::/0",
      "::",
      "1:2:3:4:5:6:7:8/128",
      "1:2:3:4:5:6:7::",
      "::2:3:4:5:6:7:8",
      "fe80::/10",
      "FD00:ABCD::1",
      "2001:db8:0:0:1::1/100",
    ),
  },
  {
    name: "IPv6 addresses with an IPv4 tail",
    config: addresses(
      "::ffff:10.0.0.1/96",
      "::10.0.0.1",
      "1:2:3:4:5:6:1.2.3.4",
      "1::1.2.3.4",
      "1:2:3:4:5::1.2.3.4",
      "1::2:3:4:5:1.2.3.4",
    ),
  },
  {
    name: "addresses with a peer",
    config: addresses(
      { address: "10.9.0.1/32", peer: "10.9.0.2" },
      { address: "10.9.1.1", peer: "10.9.1.2/24" },
      { address: "fd00::1/128", peer: "fd00::2" },
      { address: "fd00:1::1", peer: "fd00:1::2/64" },
    ),
  },
  { name: "an address mapping without a peer", config: addresses({ address: "10.0.0.1/24" }) },
];

const BAD: Entry[] = [
  // The document.
  { name: "a list at the top", config: [] },
  { name: "null at the top", config: null },
  { name: "a string at the top", config: "version: 1" },
  { name: "an unknown key at the top", config: { version: 1, devices: [], extra: 1 } },
  { name: "version 2", config: { version: 2, devices: [] } },
  { name: 'version "1"', config: { version: "1", devices: [] } },
  { name: "version 1.5", config: { version: 1.5, devices: [] } },
  { name: "no version", config: { devices: [] } },
  { name: "no devices key", config: { version: 1 } },
  { name: "devices a mapping", config: { version: 1, devices: {} } },
  { name: "devices a string", config: { version: 1, devices: "tun0" } },
  { name: "a device a string", config: { version: 1, devices: ["tun0"] } },
  { name: "a device null", config: { version: 1, devices: [null] } },
  // Keys of a device.
  { name: "an unknown key in a device", config: tun({ mtuu: 1500 }) },
  { name: "a key in the library's spelling", config: tun({ vnetHdr: true }) },
  { name: "no name", config: { version: 1, devices: [{ mode: "tun" }] } },
  { name: "no mode", config: { version: 1, devices: [{ name: "tun0" }] } },
  // name.
  { name: "a 16-byte name", config: tun({ name: "abcdefghijklmnop" }) },
  { name: "an empty name", config: tun({ name: "" }) },
  { name: 'the name "."', config: tun({ name: "." }) },
  { name: 'the name ".."', config: tun({ name: ".." }) },
  { name: 'the name "a:b"', config: tun({ name: "a:b" }) },
  { name: 'the name "a b"', config: tun({ name: "a b" }) },
  { name: "a name with a tab", config: tun({ name: "a\tb" }) },
  { name: "a name with a no-break space", config: tun({ name: "a\u00a0b" }) },
  { name: 'the name "a/b"', config: tun({ name: "a/b" }) },
  { name: 'the template "tun%d"', config: tun({ name: "tun%d" }) },
  { name: "a name with NUL", config: tun({ name: "a\u0000b" }) },
  { name: "a number as the name", config: tun({ name: 5 }) },
  // mode.
  { name: 'mode "tup"', config: tun({ mode: "tup" }) },
  { name: 'mode "TUN"', config: tun({ mode: "TUN" }) },
  { name: "mode null", config: tun({ mode: null }) },
  // Numbers and flags.
  { name: "mtu 67", config: tun({ mtu: 67 }) },
  { name: "mtu 65536", config: tun({ mtu: 65536 }) },
  { name: "mtu 1.5", config: tun({ mtu: 1.5 }) },
  { name: 'mtu "1500"', config: tun({ mtu: "1500" }) },
  { name: "txqueuelen -1", config: tun({ txqueuelen: -1 }) },
  { name: "txqueuelen 2^32", config: tun({ txqueuelen: 4294967296 }) },
  { name: "owner -1", config: tun({ owner: -1 }) },
  { name: "owner 4294967295", config: tun({ owner: 4294967295 }) },
  { name: "owner 1.5", config: tun({ owner: 1.5 }) },
  { name: 'owner ""', config: tun({ owner: "" }) },
  { name: "owner true", config: tun({ owner: true }) },
  { name: "group null", config: tun({ group: null }) },
  { name: 'pi "yes"', config: tun({ pi: "yes" }) },
  { name: "up 1", config: tun({ up: 1 }) },
  { name: "multi_queue null", config: tun({ multi_queue: null }) },
  // mac.
  { name: "a mac on a tun", config: tun({ mac: "02:00:5e:10:00:01" }) },
  { name: "a multicast mac", config: tap({ mac: "01:00:5e:00:00:01" }) },
  { name: "the broadcast mac", config: tap({ mac: "ff:ff:ff:ff:ff:ff" }) },
  { name: "the all-zero mac", config: tap({ mac: "00:00:00:00:00:00" }) },
  { name: "the all-zero mac with one-digit octets", config: tap({ mac: "0:0:0:0:0:0" }) },
  { name: "a mac with five octets", config: tap({ mac: "02:00:00:00:00" }) },
  { name: "a mac with seven octets", config: tap({ mac: "02:00:00:00:00:00:01" }) },
  { name: "a mac with a three-digit octet", config: tap({ mac: "002:00:00:00:00:01" }) },
  { name: "a mac with a non-hex digit", config: tap({ mac: "02:00:00:00:00:0g" }) },
  { name: "a mac in dotted Cisco form", config: tap({ mac: "0200.0000.0001" }) },
  { name: "a mac without separators", config: tap({ mac: "020000000001" }) },
  { name: "a number as the mac", config: tap({ mac: 2 }) },
  // master and netns.
  { name: 'master ""', config: tap({ master: "" }) },
  { name: 'master "br 0"', config: tap({ master: "br 0" }) },
  { name: "a 16-byte master", config: tap({ master: "abcdefghijklmnop" }) },
  { name: "master false", config: tap({ master: false }) },
  { name: 'netns ""', config: tun({ netns: "" }) },
  { name: "netns a number", config: tun({ netns: 1 }) },
  // addresses.
  { name: "addresses a string", config: tun({ addresses: "10.0.0.1/24" }) },
  { name: "addresses null", config: tun({ addresses: null }) },
  { name: "address 10.0.0.1/33", config: addresses("10.0.0.1/33") },
  { name: "address 300.1.1.1/24", config: addresses("300.1.1.1/24") },
  { name: "address 010.0.0.1/8 (a leading zero)", config: addresses("010.0.0.1/8") },
  { name: "address 10.0.0/24", config: addresses("10.0.0/24") },
  { name: "address 10.0.0.1/ (no length)", config: addresses("10.0.0.1/") },
  { name: "address 10.0.0.1/-1", config: addresses("10.0.0.1/-1") },
  { name: "address fd00::1/129", config: addresses("fd00::1/129") },
  { name: "address 1::2::3", config: addresses("1::2::3") },
  { name: "address 1:2:3:4:5:6:7:8:9", config: addresses("1:2:3:4:5:6:7:8:9") },
  { name: "address 1:2:3:4:5:6:7", config: addresses("1:2:3:4:5:6:7") },
  { name: "address 12345::1", config: addresses("12345::1") },
  { name: "address 1:2:3:4:5:6:7::1.2.3.4", config: addresses("1:2:3:4:5:6:7::1.2.3.4") },
  { name: "address ::1.2.3", config: addresses("::1.2.3") },
  { name: "address fe80::1%eth0", config: addresses("fe80::1%eth0") },
  { name: "address a host name", config: addresses("localhost") },
  { name: "address a number", config: addresses(5) },
  { name: "an address mapping without address", config: addresses({ peer: "10.0.0.2" }) },
  {
    name: "an extra key in an address mapping",
    config: addresses({ address: "10.0.0.1/24", label: "tun0:1" }),
  },
  { name: "peer not an address", config: addresses({ address: "10.0.0.1/32", peer: "bob" }) },
  { name: "peer a number", config: addresses({ address: "10.0.0.1/32", peer: 5 }) },
  {
    name: "an IPv6 peer of an IPv4 address",
    config: addresses({ address: "10.0.0.1/32", peer: "fd00::2" }),
  },
  {
    name: "an IPv4 peer of an IPv6 address",
    config: addresses({ address: "fd00::1/128", peer: "10.0.0.2" }),
  },
  {
    name: "address 10.0.0.1/024 (a leading zero in the length)",
    config: addresses("10.0.0.1/024"),
  },
  { name: "the all-zero mac with - separators", config: tap({ mac: "00-00-00-00-00-00" }) },
  {
    name: "a peer with a length out of range",
    config: addresses({ address: "10.0.0.1/32", peer: "10.0.0.2/33" }),
  },
  {
    name: "a peer with junk after the /",
    config: addresses({ address: "10.0.0.1/32", peer: "10.0.0.2/junk" }),
  },
];

/**
 * Where the two differ, each on purpose or by a limit of JSON Schema: what
 * each says, and why. (When one is changed to agree, the test names the
 * entry: move it to GOOD or BAD.)
 */
const KNOWN_DIFFERENCES: (Entry & { schema: boolean; parser: boolean; why: string })[] = [
  {
    name: "two devices of one name in one namespace",
    config: {
      version: 1,
      devices: [{ name: "tun0", mode: "tun" }, { name: "tun0", mode: "tap" }],
    },
    schema: true,
    parser: false,
    why: "JSON Schema cannot say that one field is unique across the items of a list",
  },
  {
    name: "a name of 8 characters and 16 bytes",
    config: tun({ name: "ääääääää" }),
    schema: true,
    parser: false,
    why: "maxLength counts characters; the kernel's limit is 15 bytes of UTF-8",
  },
  {
    name: "a name whose UTF-8 holds the byte 0xa0",
    config: tun({ name: "à0" }),
    schema: true,
    parser: false,
    why: "the kernel's isspace() counts the byte 0xa0 (here a continuation byte of U+00E0)",
  },
];

const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

/** Whether the schema accepts a config. */
function schemaAccepts(config: unknown): boolean {
  return validate(config);
}

/** Whether `parseConfig` accepts a config (as JSON, which is YAML 1.2). */
function parserAccepts(config: unknown): boolean {
  try {
    parseConfig(JSON.stringify(config), { file: "corpus.json" });
    return true;
  } catch (error) {
    if (error instanceof ConfigError) return false;
    throw error;
  }
}

Deno.test("config.schema.json compiles in ajv's strict mode (draft 2020-12)", () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  assert.equal(ajv.validateSchema(schema), true, ajv.errorsText(ajv.errors));
  assert.doesNotThrow(() => ajv.compile(schema));
  assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  assert.equal(schema.$id, "https://jsr.io/@netdev/tuntap/config.schema.json");
});

Deno.test("config.schema.json describes every property (for editors)", () => {
  const missing: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${path}/${i}`));
    for (const [key, value] of Object.entries(node)) {
      if (key === "properties" && path.split("/").every((step) => !/^(if|then|else)$/.test(step))) {
        for (const [name, property] of Object.entries(value as Record<string, unknown>)) {
          if (typeof (property as { description?: unknown }).description !== "string") {
            missing.push(`${path}/properties/${name}`);
          }
        }
      }
      walk(value, `${path}/${key}`);
    }
  };
  walk(schema, "#");
  assert.deepEqual(missing, []);
  assert.equal(typeof schema.title, "string");
});

Deno.test("config.schema.json has exactly the device keys of DEVICE_KEYS", () => {
  assert.deepEqual(
    Object.keys(schema.$defs.device.properties).sort(),
    Object.keys(DEVICE_KEYS).sort(),
  );
});

Deno.test("the corpus has enough good and bad configs, each named once", () => {
  assert.ok(GOOD.length >= 15, `${GOOD.length} good configs`);
  assert.ok(BAD.length >= 25, `${BAD.length} bad configs`);
  const names = [...GOOD, ...BAD, ...KNOWN_DIFFERENCES].map((entry) => entry.name);
  assert.deepEqual(names.filter((name, i) => names.indexOf(name) !== i), []);
});

Deno.test("config.schema.json and parseConfig() accept every good config", () => {
  for (const { name, config } of GOOD) {
    assert.deepEqual(
      { schema: schemaAccepts(config), parseConfig: parserAccepts(config) },
      { schema: true, parseConfig: true },
      `the good config "${name}": ${JSON.stringify(validate.errors)}`,
    );
  }
});

Deno.test("config.schema.json and parseConfig() reject every bad config", () => {
  for (const { name, config } of BAD) {
    assert.deepEqual(
      { schema: schemaAccepts(config), parseConfig: parserAccepts(config) },
      { schema: false, parseConfig: false },
      `the bad config "${name}"`,
    );
  }
});

Deno.test("config.schema.json and parseConfig() differ only where listed", () => {
  for (const { name, config, schema: bySchema, parser: byParser, why } of KNOWN_DIFFERENCES) {
    assert.notEqual(bySchema, byParser, `"${name}" is listed as a difference but is not one`);
    assert.equal(
      schemaAccepts(config),
      bySchema,
      `the schema changed its mind on "${name}" (${why})`,
    );
    assert.equal(
      parserAccepts(config),
      byParser,
      `parseConfig changed its mind on "${name}" (${why})`,
    );
  }
});
