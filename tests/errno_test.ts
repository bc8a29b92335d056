import assert from "node:assert/strict";
import * as libc from "../ffi/mod.ts";

const TUNSETIFF = 0x400454can;
const EBADF = 9;

Deno.test("ffi reports the errno of the failing call, never one V8 left behind", () => {
  const ifreq = new Uint8Array(40);
  for (let i = 0; i < 100_000; i++) {
    const r = libc.ioctlPtr(-1, TUNSETIFF, ifreq);
    if (r !== -EBADF) assert.fail(`call ${i} returned ${r}`);
  }
});

Deno.test("ffi reports the right errno in fresh processes, where V8's lazy set-up still runs", () => {
  // V8 (abseil) once read a missing sysfs file on the JS thread at a moment of its
  // choosing, early in a process's life, overwriting errno: about half of fresh
  // processes saw one wrong errno in 20,000 calls before failures were confirmed, so
  // 40 processes all passing without confirmation has odds of about 0.15%.
  const script = `
    import * as libc from ${JSON.stringify(new URL("../ffi/mod.ts", import.meta.url).href)};
    const ifreq = new Uint8Array(40);
    let wrong = 0;
    for (let i = 0; i < 20000; i++) if (libc.ioctlPtr(-1, 0x400454can, ifreq) !== -9) wrong++;
    console.log(wrong);
  `;
  for (let run = 0; run < 40; run++) {
    const result = new Deno.Command(Deno.execPath(), { args: ["eval", script], stderr: "inherit" })
      .outputSync();
    assert.equal(result.code, 0);
    assert.equal(new TextDecoder().decode(result.stdout), "0\n", `process ${run}`);
  }
});

Deno.test("ffi reads directories, links and small files without Deno read permission", () => {
  const self = libc.readDir("/proc/self/fd");
  assert.ok(Array.isArray(self) && self.includes("0"));
  assert.equal(libc.readDir("/nonexistent"), -2);
  assert.equal(typeof libc.readLink("/proc/self/exe"), "string");
  assert.equal(libc.readLink("/nonexistent"), -2);
  const comm = libc.readSmallFile("/proc/self/comm");
  assert.ok(comm instanceof Uint8Array);
  assert.equal(new TextDecoder().decode(comm), "deno\n");
  assert.equal(libc.readSmallFile("/nonexistent"), -2);
});

Deno.test("confirmFailure() trusts an errno only when two consecutive failures agree", () => {
  const script = (results: number[], errnos: number[]) => {
    let calls = 0;
    let reads = 0;
    const value = libc.confirmFailure(
      () => results[calls++] as number,
      () => errnos[reads++] as number,
    );
    return { value, calls };
  };
  assert.deepEqual(script([5], []), { value: 5, calls: 1 });
  assert.deepEqual(script([-1, -1], [16, 16]), { value: -16, calls: 2 });
  assert.deepEqual(script([-1, -1, -1], [2, 16, 16]), { value: -16, calls: 3 }); // the first read was overwritten
  assert.deepEqual(script([-1, 3], [16]), { value: 3, calls: 2 }); // the retry succeeded
  assert.deepEqual(script([-1, -1, -1, -1], [1, 2, 3, 4]), { value: -4, calls: 4 }); // gives up after 3 more
});
