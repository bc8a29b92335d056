import assert from "node:assert/strict";
import { ifnameColor, renderPlain, useColor } from "../lib/cli/_show.ts";
import { IpJsonWriter, quote, renderJson, renderWithWriter } from "../lib/cli/_json.ts";
import type { Holder, TunTapDevice } from "../lib/device/types.ts";

function device(name: string, fields: Partial<TunTapDevice> = {}): TunTapDevice {
  return {
    name,
    index: 2,
    mode: "tun",
    pi: false,
    vnetHdr: false,
    multiQueue: false,
    persist: true,
    mtu: 1500,
    txQueueLen: 500,
    up: false,
    operstate: "down",
    carrier: false,
    ...fields,
  };
}

// Devices of battery cases S02/J03 (tp0 without one_queue, which rtnetlink does not report), S06, S08, S09.
const TN0 = device("tn0");
const TP0 = device("tp0", {
  mode: "tap",
  pi: true,
  vnetHdr: true,
  multiQueue: true,
  owner: 1,
  group: 2,
});

Deno.test("renderPlain() prints iproute2's line per device (S02, S06, S08, S09, S01)", () => {
  assert.equal(
    renderPlain([TN0, TP0, device("tn1", { pi: true })]),
    "tn0: tun persist\ntp0: tap pi multi_queue vnet_hdr persist filter user 1 group 2\ntn1: tun pi persist filter\n",
  );
  assert.equal(
    renderPlain([
      device("tn0", { owner: 0, group: 0 }),
      device("tn1", { owner: 65534 }),
      device("tn2", { group: 4294967294 }),
    ]),
    "tn0: tun persist user 0 group 0\ntn1: tun persist user 65534\ntn2: tun persist group 4294967294\n",
  );
  assert.equal(renderPlain([device("np0", { persist: false })]), "np0: tun\n");
  assert.equal(
    renderPlain([device("foo0"), device("tun-x.1"), device("é"), device("a\x01b")]),
    "foo0: tun persist\ntun-x.1: tun persist\né: tun persist\na\x01b: tun persist\n",
  );
  assert.equal(renderPlain([]), "");
});

const HOLDERS = new Map<string, Holder[]>([
  ["th0", [{ pid: 10, comm: "tunholder" }]],
  ["tq0", [{ pid: 12, comm: "tunholder" }, { pid: 12, comm: "tunholder" }, {
    pid: 14,
    comm: "tunholder",
  }]],
  ["tn0", []],
]);
const TH0 = device("th0", { carrier: true });
const TQ0 = device("tq0", { mode: "tap", multiQueue: true, queues: 3 });

Deno.test("renderPlain() with -d and -o lists holders as iproute2 (T01, T02, T07)", () => {
  assert.equal(
    renderPlain([TN0], { holders: HOLDERS }),
    "tn0: tun persist\n\tAttached to processes:\n",
  );
  assert.equal(
    renderPlain([TH0, TQ0], { holders: HOLDERS }),
    "th0: tun persist\n\tAttached to processes:tunholder(10)\n" +
      "tq0: tap multi_queue persist\n\tAttached to processes:tunholder(12)tunholder(12)tunholder(14)\n",
  );
  assert.equal(
    renderPlain([TH0], { holders: HOLDERS, oneline: true }),
    "th0: tun persist\\\tAttached to processes:tunholder(10)\n",
  );
  assert.equal(
    renderPlain([device("x")], { holders: new Map([["x", [{ pid: 3 }]]]) }),
    "x: tun persist\n\tAttached to processes:<NULL>(3)\n",
  );
});

Deno.test("renderPlain() colours only the name (K01, K05, K06, K09)", () => {
  assert.equal(
    renderPlain([TN0, device("tp0", { mode: "tap" })], { color: ifnameColor(undefined) }),
    "\x1b[1;36mtn0:\x1b[0m tun persist\n\x1b[1;36mtp0:\x1b[0m tap persist\n",
  );
  assert.equal(
    renderPlain([TH0], { color: ifnameColor("0;15"), holders: HOLDERS }),
    "\x1b[36mth0:\x1b[0m tun persist\n\tAttached to processes:tunholder(10)\n",
  );
});

Deno.test("ifnameColor() and useColor() follow COLORFGBG, -c, -j, NO_COLOR and the terminal", () => {
  assert.equal(ifnameColor(undefined), "\x1b[1;36m");
  assert.equal(ifnameColor("15"), "\x1b[1;36m");
  assert.equal(ifnameColor("15;0"), "\x1b[1;36m");
  assert.equal(ifnameColor("15;default;8"), "\x1b[1;36m");
  assert.equal(ifnameColor("0;15"), "\x1b[36m");
  assert.equal(ifnameColor("0;7"), "\x1b[36m");
  assert.equal(useColor("always", false, false, true), true); // K01, K07: -c wins over NO_COLOR
  assert.equal(useColor("always", true, true, false), false); // K08
  assert.equal(useColor("auto", false, false, false), false); // K04
  assert.equal(useColor("auto", false, true, false), true);
  assert.equal(useColor("auto", false, true, true), false);
  assert.equal(useColor("never", false, true, false), false);
  assert.equal(useColor(undefined, false, true, false), false);
});

Deno.test("renderJson() matches iproute2's compact JSON (J01, J03, J10, J12, T05)", () => {
  assert.equal(renderJson([], false), "[]\n");
  assert.equal(
    renderJson([TN0, TP0], false),
    '[{"ifname":"tn0","flags":["tun","persist"]},{"ifname":"tp0","flags":["tap","pi","multi_queue","vnet_hdr","persist","filter"],"user":1,"group":2}]\n',
  );
  assert.equal(
    renderJson([device('a"b'), device("c\\d")], false),
    '[{"ifname":"a\\"b","flags":["tun","persist"]},{"ifname":"c\\\\d","flags":["tun","persist"]}]\n',
  );
  assert.equal(
    renderJson([device("a\x01b"), device("c\x7fd")], false),
    '[{"ifname":"a\\u0001b","flags":["tun","persist"]},{"ifname":"c\\u007fd","flags":["tun","persist"]}]\n',
  );
  assert.equal(
    renderJson([TN0], false, HOLDERS),
    '[{"ifname":"tn0","flags":["tun","persist"],"processes":[]}]\n',
  );
  assert.equal(
    renderJson([TH0, TQ0], false, HOLDERS),
    '[{"ifname":"th0","flags":["tun","persist"],"processes":[{"name":"tunholder","pid":10}]},' +
      '{"ifname":"tq0","flags":["tap","multi_queue","persist"],"processes":[{"name":"tunholder","pid":12},' +
      '{"name":"tunholder","pid":12},{"name":"tunholder","pid":14}]}]\n',
  ); // T03, newest form
});

Deno.test("renderJson() matches iproute2's pretty JSON (J02, J04, T04, T06)", () => {
  assert.equal(renderJson([], true), "[ ]\n");
  assert.equal(
    renderJson([TN0, TP0], true),
    `[ {
        "ifname": "tn0",
        "flags": [ "tun","persist" ]
    },{
        "ifname": "tp0",
        "flags": [ "tap","pi","multi_queue","vnet_hdr","persist","filter" ],
        "user": 1,
        "group": 2
    } ]
`,
  );
  assert.equal(
    renderJson([TN0], true, HOLDERS),
    `[ {
        "ifname": "tn0",
        "flags": [ "tun","persist" ],
        "processes": [ ]
    } ]
`,
  );
  assert.equal(
    renderJson(
      [device("tq0", { mode: "tap", multiQueue: true })],
      true,
      new Map([["tq0", [{ pid: 12, comm: "tunholder" }, { pid: 12, comm: "tunholder" }]]]),
    ),
    `[ {
        "ifname": "tq0",
        "flags": [ "tap","multi_queue","persist" ],
        "processes": [ {
                "name": "tunholder",
                "pid": 12
            },{
                "name": "tunholder",
                "pid": 12
            } ]
    } ]
`,
  );
});

Deno.test("quote() escapes as newest iproute2 and IpJsonWriter nests", () => {
  assert.equal(
    quote('\t\n\r\f\b\\"/é\x00\x1f\x7f'),
    '"\\t\\n\\r\\f\\b\\\\\\"/é\\u0000\\u001f\\u007f"',
  );
  const w = new IpJsonWriter(false).startObject().name("a").startArray().startArray().endArray()
    .number(1)
    .endArray().name("b").startObject().endObject().endObject();
  assert.equal(w.finish(), '{"a":[[],1],"b":{}}\n');
  assert.deepEqual(JSON.parse(w.finish()), { a: [[], 1], b: {} });
});

Deno.test("renderJson() writes show -j (and -d) as the IpJsonWriter lays it out, for 2,000 random device lists", () => {
  let x = 0x2545f491;
  const next = () => (x = (x * 1103515245 + 12345) >>> 0) >>> 8;
  const names = ["tun0", 'a"b', "c\\d", "t\x01", "é", "\udc80x", "tap 9"];
  for (let i = 0; i < 2000; i++) {
    const devices = Array.from({ length: next() % 5 }, (_, k) => {
      const d = device(names[next() % names.length] as string, {
        index: k + 2,
        mode: next() % 2 ? "tap" : "tun",
        pi: next() % 2 === 0,
        vnetHdr: next() % 2 === 0,
        multiQueue: next() % 2 === 0,
        persist: next() % 3 !== 0,
      });
      if (next() % 2) d.owner = next() % 70000;
      if (next() % 2) d.group = next() % 70000;
      return d;
    });
    // With -d: each device's holders, none for most.
    const holders = new Map(devices.map((d) => [
      d.name,
      Array.from({ length: next() % 3 === 0 ? next() % 3 : 0 }, (_, k) => ({
        pid: 100 + k,
        ...(next() % 2 ? { comm: names[next() % names.length] as string } : {}),
      })),
    ]));
    for (const pretty of [false, true]) {
      assert.equal(renderJson(devices, pretty), renderWithWriter(devices, pretty), `case ${i}`);
      assert.equal(
        renderJson(devices, pretty, holders),
        renderWithWriter(devices, pretty, holders),
        `case ${i} with holders`,
      );
    }
  }
});
