import assert from "node:assert/strict";
import { readBatch, splitWords } from "../lib/cli/_batch.ts";
import { CliExit } from "../lib/cli/_grammar.ts";
import { runCli } from "./_cli.ts";

Deno.test("splitWords() splits on space, TAB, CR and LF, and reads quoted words", () => {
  assert.deepEqual(splitWords("  tuntap add\tmode tun\r\n"), ["tuntap", "add", "mode", "tun"]);
  assert.deepEqual(splitWords(`name "q 1" 'b"2' x`), ["name", "q 1", 'b"2', "x"]);
  // A quote only matters at the start of a word; a closing quote ends the word even without space.
  assert.deepEqual(splitWords(`a"b "c"d`), ['a"b', "c", "d"]);
  assert.deepEqual(splitWords(`""`), [""]);
  assert.throws(
    () => splitWords(`name "b0`),
    (e) => e instanceof CliExit && e.message === "Unterminated quoted string" && e.status === 1,
  );
  assert.throws(
    () => splitWords("x ".repeat(512)),
    (e) => e instanceof CliExit && e.message === "Too many arguments to command",
  );
  assert.equal(splitWords("x ".repeat(511)).length, 511);
});

Deno.test("readBatch() drops comments, joins continuations and numbers lines as iproute2", () => {
  const text = [
    "# comment",
    "",
    'tuntap add mode tun name "q1"',
    "tuntap add mode tun \\",
    "name b1 # trailing comment",
    "tuntap add mode tap name 'b2'",
    "tuntap show # no continuation here \\",
    "last",
  ].join("\n") + "\n";
  assert.deepEqual([...readBatch(text)], [
    { line: 3, args: ["tuntap", "add", "mode", "tun", "name", "q1"] },
    { line: 5, args: ["tuntap", "add", "mode", "tun", "name", "b1"] },
    { line: 6, args: ["tuntap", "add", "mode", "tap", "name", "b2"] },
    { line: 7, args: ["tuntap", "show"] },
    { line: 8, args: ["last"] },
  ]);
  assert.deepEqual([...readBatch("a \\\n")], [{ line: 1, stop: "Missing continuation line" }]);
  assert.deepEqual([...readBatch("no newline at the end")], [{
    line: 1,
    args: ["no", "newline", "at", "the", "end"],
  }]);
});

Deno.test("main() in batch mode reports a missing file, a quoting error and an unknown object", async () => {
  assert.deepEqual(await runCli(["-batch", "nosuch.txt"]), {
    status: 1,
    stdout: "",
    stderr: 'Cannot open file "nosuch.txt" for reading: No such file or directory\n',
  }); // B09
  assert.deepEqual(
    await runCli(["-batch", "b.txt"], { files: { "b.txt": 'tuntap add mode tun name "b0\n' } }),
    {
      status: 1,
      stdout: "",
      stderr: "Unterminated quoted string\n",
    },
  ); // B12
  assert.deepEqual(await runCli(["-force", "-batch", "-"], { stdin: "tuntapx show\ntu help\n" }), {
    status: 1,
    stdout: "",
    stderr: 'Object "tuntapx" is unknown, try "ip help".\nCommand failed -:1\n' +
      'Object "tu" is unknown, try "ip help".\nCommand failed -:2\n',
  });
});

Deno.test("main() in batch mode ends at once on a parse error, even with -force", async () => {
  const batch = "tuntap add name b0\ntap add mode bogus\ntuntap help\n";
  assert.deepEqual(await runCli(["-force", "-batch", "b.txt"], { files: { "b.txt": batch } }), {
    status: 255,
    stdout: "",
    stderr:
      'You failed to specify a tunnel mode\nCommand failed b.txt:1\nUnknown tunnel mode "bogus"\n',
  }); // B04, B05
  assert.deepEqual(await runCli(["-batch", "b.txt"], { files: { "b.txt": batch } }), {
    status: 1,
    stdout: "",
    stderr: "You failed to specify a tunnel mode\nCommand failed b.txt:1\n",
  });
});
