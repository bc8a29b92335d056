/**
 * JSON output laid out as iproute2 lays it out, byte for byte: compact, or
 * with `-pretty` its own indentation (4 spaces per level, plain values of an
 * array on one line, `},{` between objects); and `show -j`, with the flag
 * words of the plain renderer. Loaded only when JSON is asked for.
 *
 * @module
 */

import { flagWords } from "../device/_device.ts";
import type { Holder, TunTapDevice } from "../device/types.ts";

const INDENT = "    ";
/** A character {@linkcode quote} writes otherwise than as itself (or a surrogate, to look at). */
// deno-lint-ignore no-control-regex -- control characters are what it looks for
const NEEDS_ESCAPE = /["\\\x00-\x1f\x7f\ud800-\udfff]/;

const ESCAPES: Readonly<Record<string, string>> = {
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
  "\f": "\\f",
  "\b": "\\b",
  "\\": "\\\\",
  '"': '\\"',
};

/**
 * Quotes a string as newest iproute2 does: the short escapes, `\u00XX` for
 * the other control bytes and DEL, everything else (UTF-8 included) as is.
 * A byte of a name that is not UTF-8 (carried as a lone surrogate
 * U+DC80–U+DCFF) is written `\udcXX`, so the document stays valid UTF-8 and
 * the byte can be read back (Python's `surrogateescape` reads it so).
 *
 * @param text The string.
 * @returns The JSON string literal.
 */
export function quote(text: string): string {
  // Most strings (names, flag words) need no escape: one test, no loop.
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  let out = '"';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    const short = ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (
      code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff && ch.length === 1)
    ) {
      out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** Writes one JSON document with iproute2's layout. */
export class IpJsonWriter {
  #out = "";
  #depth = 0;
  #separated = false;
  readonly #pretty: boolean;

  /**
   * Creates a writer.
   *
   * @param pretty Whether to lay out as `-pretty` does.
   */
  constructor(pretty: boolean) {
    this.#pretty = pretty;
  }

  #beforeValue(): void {
    if (this.#separated) this.#out += ",";
    this.#separated = true;
  }

  #newline(): void {
    if (this.#pretty) this.#out += `\n${INDENT.repeat(this.#depth)}`;
  }

  #open(bracket: string): void {
    this.#beforeValue();
    this.#out += bracket;
    this.#depth++;
    this.#separated = false;
  }

  #close(bracket: string): void {
    this.#depth--;
    if (this.#separated) this.#newline();
    this.#out += bracket;
    this.#separated = true;
  }

  /**
   * Writes a member name; the next call writes its value.
   *
   * @param name The name.
   * @returns This writer.
   */
  name(name: string): this {
    this.#beforeValue();
    this.#newline();
    this.#separated = false;
    this.#out += this.#pretty ? `${quote(name)}: ` : `${quote(name)}:`;
    return this;
  }

  /**
   * Opens an object.
   *
   * @returns This writer.
   */
  startObject(): this {
    this.#open("{");
    return this;
  }

  /**
   * Closes an object.
   *
   * @returns This writer.
   */
  endObject(): this {
    this.#close("}");
    return this;
  }

  /**
   * Opens an array.
   *
   * @returns This writer.
   */
  startArray(): this {
    this.#open("[");
    if (this.#pretty) this.#out += " ";
    return this;
  }

  /**
   * Closes an array.
   *
   * @returns This writer.
   */
  endArray(): this {
    if (this.#pretty && this.#separated) this.#out += " ";
    this.#separated = false;
    this.#close("]");
    return this;
  }

  /**
   * Writes a string value.
   *
   * @param value The string.
   * @returns This writer.
   */
  string(value: string): this {
    this.#beforeValue();
    this.#out += quote(value);
    return this;
  }

  /**
   * Writes a number value.
   *
   * @param value The number.
   * @returns This writer.
   */
  number(value: number): this {
    this.#beforeValue();
    this.#out += String(value);
    return this;
  }

  /**
   * Writes `true` or `false`.
   *
   * @param value The boolean.
   * @returns This writer.
   */
  bool(value: boolean): this {
    this.#beforeValue();
    this.#out += String(value);
    return this;
  }

  /**
   * Writes `null`.
   *
   * @returns This writer.
   */
  null(): this {
    this.#beforeValue();
    this.#out += "null";
    return this;
  }

  /**
   * Writes a string, or `null` for `undefined`.
   *
   * @param value The string.
   * @returns This writer.
   */
  optionalString(value: string | undefined): this {
    return value === undefined ? this.null() : this.string(value);
  }

  /**
   * Writes a number, or `null` for `undefined`.
   *
   * @param value The number.
   * @returns This writer.
   */
  optionalNumber(value: number | undefined): this {
    return value === undefined ? this.null() : this.number(value);
  }

  /**
   * Writes a value already written as JSON (by a writer of the same layout,
   * and on one line).
   *
   * @param text The value's JSON text.
   * @returns This writer.
   */
  json(text: string): this {
    this.#beforeValue();
    this.#out += text;
    return this;
  }

  /**
   * Writes an array of strings.
   *
   * @param values The strings.
   * @returns This writer.
   */
  strings(values: readonly string[]): this {
    this.startArray();
    for (const value of values) this.string(value);
    return this.endArray();
  }

  /**
   * The document, with the newline iproute2 ends it with.
   *
   * @returns The text.
   */
  finish(): string {
    return `${this.#out}\n`;
  }
}

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
  const format = showJsonFormat(pretty, holders !== undefined);
  return format.document(devices.map((d) => format.device(d, holders?.get(d.name) ?? [])));
}

/** The JSON array of each set of flag words (shared arrays), compact and pretty. */
const FLAG_ARRAYS = [new Map<readonly string[], string>(), new Map<readonly string[], string>()];

/** A device's flag words as a JSON array, rendered once per set and layout (it is on one line). */
function flagArray(device: TunTapDevice, pretty: boolean): string {
  const words = flagWords(device);
  const cache = FLAG_ARRAYS[pretty ? 1 : 0] as Map<readonly string[], string>;
  let text = cache.get(words);
  if (text === undefined) {
    text = new IpJsonWriter(pretty).strings(words).finish().slice(0, -1);
    cache.set(words, text);
  }
  return text;
}

/** The text around `show -j`'s values, in each layout. */
const LAYOUTS = {
  compact: { start: "[", between: ",", first: "{", member: ",", end: "}", close: "]" },
  pretty: {
    start: "[ ",
    between: ",",
    first: "{\n        ",
    member: ",\n        ",
    end: "\n    }",
    close: " ]",
  },
} as const;

/** A renderer that writes a document from parts made one device at a time. */
export interface PartsFormat {
  /** The text of one device, with its holders when the format shows them (`-d`). */
  device(device: TunTapDevice, holders: readonly Holder[]): string;
  /** The document made of the devices' texts, in order. */
  document(parts: readonly string[]): string;
}

/**
 * `show -j`, written straight into strings, one per device (so that a
 * listing can keep them instead of the devices): the same text as
 * {@linkcode IpJsonWriter} lays out (a test holds them equal), with a call
 * per device instead of a dozen, which counts while the code is still cold.
 * A device with holders (rare: `-d` of a device in use) goes through the
 * writer.
 *
 * @param pretty Whether to lay out as `-pretty` does.
 * @param details Whether each device has its `processes` (`-d`).
 * @returns The renderer.
 */
export function showJsonFormat(pretty: boolean, details = false): PartsFormat {
  const layout = pretty ? LAYOUTS.pretty : LAYOUTS.compact;
  const colon = pretty ? ": " : ":";
  const ifname = `${layout.first}"ifname"${colon}`;
  const flagsName = `${layout.member}"flags"${colon}`;
  const user = `${layout.member}"user"${colon}`;
  const group = `${layout.member}"group"${colon}`;
  const none = details ? `${layout.member}"processes"${colon}${pretty ? "[ ]" : "[]"}` : "";
  return {
    device(device, holders) {
      if (details && holders.length > 0) {
        // The array's brackets off a one-device document: the object at its depth.
        const one = renderWithWriter([device], pretty, new Map([[device.name, [...holders]]]));
        return one.slice(layout.start.length, -layout.close.length - 1);
      }
      let out = `${ifname}${quote(device.name)}${flagsName}${flagArray(device, pretty)}`;
      if (device.owner !== undefined) out += `${user}${device.owner}`;
      if (device.group !== undefined) out += `${group}${device.group}`;
      return out + none + layout.end;
    },
    document(parts) {
      if (parts.length === 0) return pretty ? "[ ]\n" : "[]\n";
      return `${layout.start}${parts.join(layout.between)}${layout.close}\n`;
    },
  };
}

/**
 * `show -j` through the writer: with `-d`'s holders, and the reference the
 * direct renderer is tested against.
 *
 * @param devices The devices, in dump order.
 * @param pretty Whether to lay out as `-pretty` does.
 * @param holders Holders by device name.
 * @returns The text.
 */
export function renderWithWriter(
  devices: readonly TunTapDevice[],
  pretty: boolean,
  holders?: Map<string, Holder[]>,
): string {
  const w = new IpJsonWriter(pretty).startArray();
  for (const device of devices) {
    w.startObject().name("ifname").string(device.name).name("flags").json(
      flagArray(device, pretty),
    );
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
