import assert from "node:assert/strict";
import { nameProblem } from "../lib/device/_checks.ts";
import { parseCLong, resolveGroup, resolveUser } from "../lib/device/_ids.ts";
import { SyscallError } from "../lib/transport/_syscall.ts";

Deno.test("resolveUser() follows iproute2's number rules (spec USER/GROUP table)", () => {
  const table: [string | number, number | undefined][] = [
    ["1000", 1000],
    [" +5", 5],
    [" 7", 7],
    ["-1", undefined], // U11: no owner at all
    ["4294967295", undefined], // U12
    ["99999999999999999999", undefined], // U20: clamped to LONG_MAX, truncated to 0xffffffff
    ["-2", 4294967294], // U14
    ["4294967296", 0], // U13: wraps to root
    ["-99999999999999999999", 0], // clamped to LONG_MIN, truncated to 0
    [1000, 1000],
    [-1, undefined],
    [0, 0],
  ];
  for (const [value, expected] of table) {
    assert.equal(resolveUser(value), expected, JSON.stringify(value));
    assert.equal(resolveGroup(value), expected, JSON.stringify(value));
  }
});

Deno.test("resolveUser() looks names up through NSS and refuses unknown ones", () => {
  const passwd = Deno.readTextFileSync("/etc/passwd").split("\n").map((l) => l.split(":"));
  const root = passwd.find((f) => f[0] === "root");
  assert.ok(root);
  assert.equal(resolveUser("root"), Number(root[2]));
  assert.equal(resolveGroup("root"), 0);
  for (const value of ["nosuchuser_x", "", "0x10", "5x", "+", "  "]) {
    assert.throws(
      () => resolveUser(value),
      (e) => e instanceof SyscallError && e.errno === 22,
      value,
    );
  }
  assert.throws(() => resolveUser(1.5), RangeError);
  assert.throws(() => resolveUser(2 ** 32), RangeError);
  assert.throws(() => resolveUser(-2), RangeError);
  assert.equal(resolveUser(-1), undefined);
});

Deno.test("parseCLong() reads only whole decimal numbers, as strtol with an end check", () => {
  assert.equal(parseCLong("\t\n\v\f\r 42"), 42n);
  assert.equal(parseCLong("-0"), 0n);
  assert.equal(parseCLong("42 "), undefined);
  assert.equal(parseCLong("4 2"), undefined);
  assert.equal(parseCLong("٣"), undefined);
});

Deno.test("nameProblem() applies the kernel's name rules", () => {
  const accepted = [
    "tn0",
    "abcdefghijklmno",
    "...",
    "--x",
    "tun-x.1",
    "é",
    "a\x01b",
    "c\x7fd",
    'a"b',
    "c\\d",
  ];
  for (const name of accepted) assert.equal(nameProblem(name, false), undefined, name);
  const refused: [string, RegExp][] = [
    ["", /empty/],
    ["abcdefghijklmnop", /16 bytes long, the limit is 15/],
    ["éééééééé", /16 bytes/],
    [".", /reserved/],
    ["..", /reserved/],
    ["a/b", /"\/"/],
    ["a:b", /":"/],
    ["a b", /whitespace/],
    ["a\vb", /whitespace/],
    ["à", /0xa0/],
    ["x%d", /"%"/],
  ];
  for (const [name, reason] of refused) assert.match(nameProblem(name, false) ?? "", reason, name);
  assert.equal(nameProblem("x%d", true), undefined);
  assert.equal(nameProblem("%d", true), undefined);
  assert.match(nameProblem("x%s", true) ?? "", /followed by "d"/);
  assert.match(nameProblem("%d%d", true) ?? "", /exactly one/);
});
