import assert from "node:assert/strict";
import { formatInet, parseInet, parseInetPrefix } from "../lib/address/_inet.ts";
import { parseMac } from "../lib/device/_device.ts";

Deno.test("parseInet() reads dotted quads and RFC 4291 text, and nothing else", () => {
  assert.deepEqual(parseInet("192.37.1.2"), { version: 4, bytes: new Uint8Array([192, 37, 1, 2]) });
  assert.deepEqual(parseInet("::1")?.bytes, new Uint8Array([...new Array(15).fill(0), 1]));
  assert.deepEqual(
    parseInet("fd00::1:2")?.bytes,
    new Uint8Array([0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2]),
  );
  assert.deepEqual(
    parseInet("::ffff:10.0.0.1")?.bytes.subarray(10),
    new Uint8Array([0xff, 0xff, 10, 0, 0, 1]),
  );
  assert.deepEqual(parseInet("1:2:3:4:5:6:7:8")?.version, 6);
  assert.deepEqual(
    parseInet("1:2:3:4:5:6:1.2.3.4")?.bytes.subarray(12),
    new Uint8Array([1, 2, 3, 4]),
  );
  for (
    const bad of [
      "",
      "10.1.0.300",
      "10.1.0",
      "010.1.0.1",
      "1.2.3.4.5",
      " 1.2.3.4",
      "::1::2",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7",
      "12345::",
      "g::1",
      "1:2:3:4:5:6:7:1.2.3.4",
      ":::",
    ]
  ) {
    assert.equal(parseInet(bad), undefined, JSON.stringify(bad));
  }
});

Deno.test("parseInetPrefix() reads an optional prefix length within the family's bits", () => {
  assert.equal(parseInetPrefix("10.1.0.1/24")?.prefixLength, 24);
  assert.equal(parseInetPrefix("10.1.0.1")?.prefixLength, 32);
  assert.equal(parseInetPrefix("fd00::1")?.prefixLength, 128);
  assert.equal(parseInetPrefix("fd00::1/64")?.prefixLength, 64);
  for (
    const bad of ["10.1.0.1/33", "fd00::1/129", "10.1.0.1/", "10.1.0.1/x", "10.1.0.1/-1", "/24"]
  ) {
    assert.equal(parseInetPrefix(bad), undefined, bad);
  }
});

Deno.test("formatInet() writes addresses as inet_ntop does (RFC 5952)", () => {
  const cases = [
    "0.0.0.0",
    "192.37.1.2",
    "::",
    "::1",
    "fd00::1",
    "fe80::1:2",
    "2001:db8::1:0:0:1", // the first of two equal runs of zeros is compressed
    "2001:db8:0:1:1:1:1:1", // a single zero group is not
    "1::",
    "::ffff:10.0.0.1", // IPv4-mapped
    "::10.0.0.1", // IPv4-compatible
    "1:2:3:4:5:6:7:8",
  ];
  for (const text of cases) {
    const parsed = parseInet(text);
    assert.ok(parsed, text);
    assert.equal(formatInet(parsed.bytes), text);
  }
  assert.equal(
    formatInet((parseInet("FD00:0:0:0:0:0:0:1") as { bytes: Uint8Array }).bytes),
    "fd00::1",
  );
});

Deno.test("parseMac() reads six hex bytes separated by colons or dashes", () => {
  assert.deepEqual(parseMac("02:11:22:aa:BB:c"), new Uint8Array([2, 0x11, 0x22, 0xaa, 0xbb, 0xc]));
  assert.deepEqual(parseMac("02-11-22-33-44-55")?.length, 6);
  for (
    const bad of ["02:11:22:33:44", "02:11:22:33:44:55:66", "02:11:22:33:44:5g", "021122334455", ""]
  ) {
    assert.equal(parseMac(bad), undefined, bad);
  }
});
