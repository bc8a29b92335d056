/**
 * `tuntap monitor`: TUN/TAP events as they happen, one line each (with a
 * timestamp, as `ip -t monitor` has) or one JSON object per line with `-j`.
 *
 * ```
 * tuntap [ -j ] [ -n NS ] monitor [ [ dev ] NAME ] [ mode { tun | tap } ]
 * ```
 *
 * Ends on SIGINT or SIGTERM (status 0) and when standard output is closed.
 *
 * @module
 */

import { monitorTunTaps, type TunTapEvent } from "../monitor/monitor.ts";
import type { Command } from "./_context.ts";
import type { CommandSpec } from "./_grammar.ts";
import { FILTER_KEYWORDS, parseInfoArgs } from "./_info.ts";
import { attempt } from "./_io.ts";

/** The grammar of `monitor`. */
export const spec: CommandSpec = {
  extension: true,
  names: ["monitor"],
  usage: ["monitor [ [ dev ] NAME ] [ mode { tun | tap } ]"],
  summary:
    "a live line per event: created, deleted, moved, renamed, settings, queues, carrier, up/down, addresses (-j: JSON lines)",
  keywords: FILTER_KEYWORDS,
  operand: "tuntap",
};

const show = (value: unknown) => value === null ? "none" : String(value);

/** The text of each kind of event, after `NAME: `. */
const TEXT: Readonly<Record<TunTapEvent["kind"], (e: TunTapEvent) => string>> = {
  created: (e) => `created (${e.mode}${e.device?.persist ? " persist" : ""}, index ${e.index})`,
  deleted: () => "deleted",
  moved: (e) => {
    const where = [
      ...(e.moved?.netnsId === undefined ? [] : [`nsid ${e.moved.netnsId}`]),
      ...(e.moved?.index === undefined ? [] : [`index ${e.moved.index} there`]),
    ];
    return `moved to another namespace${where.length ? ` (${where.join(", ")})` : ""}`;
  },
  renamed: (e) => `renamed from ${e.oldName}`,
  changed: (e) =>
    (e.changes ?? []).map((c) => `${c.key} ${show(c.from)} -> ${show(c.to)}`).join(", "),
  queues: (e) => `queues ${e.queues?.from} -> ${e.queues?.to}`,
  carrier: (e) => `carrier ${e.carrier ? "on" : "off"}`,
  up: () => "up",
  down: () => "down",
  "address-added": (e) => `address added ${e.address}`,
  "address-removed": (e) => `address removed ${e.address}`,
  lost: () => "notifications were lost (the socket was full): the state was read again",
};

function textLine(event: TunTapEvent): string {
  const who = event.kind === "lost" ? "" : `${event.name}: `;
  return `[${event.time.toISOString()}] ${who}${TEXT[event.kind](event)}\n`;
}

function jsonLine(event: TunTapEvent): string {
  const { time, kind, name, index, mode, device: _device, ...rest } = event;
  return `${
    JSON.stringify({
      time: time.toISOString(),
      event: kind,
      ...(kind === "lost" ? {} : { ifname: name, ifindex: index, mode }),
      ...rest,
    })
  }\n`;
}

/** The `monitor` subcommand. */
export const command: Command = {
  spec,
  async run(ctx, words) {
    const filter = parseInfoArgs(words);
    const controller = new AbortController();
    const stop = () => controller.abort();
    const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
    for (const signal of signals) Deno.addSignalListener(signal, stop);
    const render = ctx.options.json ? jsonLine : textLine;
    let failed = 0;
    try {
      const events = monitorTunTaps({
        ...filter,
        ...(ctx.options.netns === undefined ? {} : { netns: ctx.options.netns }),
        signal: controller.signal,
      });
      let next: IteratorResult<TunTapEvent, void> | undefined;
      for (;;) {
        failed = await attemptAsync(ctx, async () => {
          next = await events.next();
        });
        if (failed !== 0 || next === undefined || next.done) break;
        ctx.out.write(render(next.value));
        ctx.out.flush();
        // The reader went away: stop quietly, as ip monitor | head does.
        if (ctx.out.closed) break;
      }
      await events.return();
    } finally {
      for (const signal of signals) Deno.removeSignalListener(signal, stop);
    }
    return failed;
  },
};

/** {@linkcode attempt} for async work: a TunTapError is reported, with status 1. */
async function attemptAsync(
  ctx: Parameters<typeof attempt>[0],
  work: () => Promise<void>,
): Promise<number> {
  let failure: unknown;
  try {
    await work();
    return 0;
  } catch (error) {
    failure = error;
  }
  return attempt(ctx, () => {
    throw failure;
  });
}
