/**
 * JSON `show` output, with the flag words of the plain renderer. A module of
 * its own so that plain `show` does not load the JSON writer.
 *
 * @module
 */

import type { Holder, TunTapDevice } from "../types.ts";
import { IpJsonWriter } from "./_json.ts";
import { flagWords } from "./_render.ts";

/**
 * JSON `show` output, compact or pretty.
 *
 * @param devices The devices, in dump order.
 * @param pretty Whether to lay out as `-pretty` does.
 * @param holders Holders by device name, with `-d`.
 * @returns The text.
 */
export function renderJson(
  devices: readonly TunTapDevice[],
  pretty: boolean,
  holders?: Map<string, Holder[]>,
): string {
  const w = new IpJsonWriter(pretty).startArray();
  for (const device of devices) {
    w.startObject().name("ifname").string(device.name).name("flags").startArray();
    for (const word of flagWords(device)) w.string(word);
    w.endArray();
    if (device.owner !== undefined) w.name("user").number(device.owner);
    if (device.group !== undefined) w.name("group").number(device.group);
    if (holders) {
      w.name("processes").startArray();
      for (const holder of holders.get(device.name) ?? []) {
        w.startObject().name("name").string(holder.comm ?? "<NULL>").name("pid").number(holder.pid)
          .endObject();
      }
      w.endArray();
    }
    w.endObject();
  }
  return w.endArray().finish();
}
