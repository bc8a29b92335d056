/**
 * Text as the kernel has it: bytes. Interface names, labels and paths are
 * byte strings that are usually, but not always, UTF-8. They are carried in
 * JavaScript strings without loss the way Python's `surrogateescape` carries
 * them: valid UTF-8 decodes as usual, and each byte of an invalid sequence
 * becomes the lone surrogate U+DC80–U+DCFF of the same low byte. Encoding
 * turns those surrogates back into the bytes, so decode → encode is the
 * identity on bytes, and two different byte strings never decode alike.
 *
 * @module
 */

const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();
const SURROGATE = /[\uD800-\uDFFF]/;
/** Longest text encoded without TextEncoder when it is ASCII. */
const SMALL = 64;

/**
 * Decodes bytes as UTF-8, each byte of an invalid sequence as the lone
 * surrogate U+DC00 + byte.
 *
 * @param bytes The bytes.
 * @param start Where the text begins.
 * @param end Where it ends.
 * @returns The string.
 */
export function decodeText(bytes: Uint8Array, start = 0, end: number = bytes.byteLength): string {
  if (end - start > SMALL) {
    try {
      return utf8.decode(bytes.subarray(start, end));
    } catch {
      return decodeLoose(bytes, start, end);
    }
  }
  let i = start;
  // Names and batch lines are short and nearly always ASCII: no TextDecoder
  // call then, and one string made from the code units at once.
  while (i < end && (bytes[i] as number) < 0x80) i++;
  const text = i === start ? "" : String.fromCharCode.apply(
    null,
    bytes.subarray(start, i) as unknown as number[],
  );
  if (i === end) return text;
  try {
    return text + utf8.decode(bytes.subarray(i, end));
  } catch {
    return text + decodeLoose(bytes, i, end);
  }
}

/** Length of the valid UTF-8 sequence at `at`, or 0 if there is none. */
function sequenceLength(bytes: Uint8Array, at: number, end: number): number {
  const b = bytes[at] as number;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) length = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    length = 3;
    if (b === 0xe0) low = 0xa0;
    if (b === 0xed) high = 0x9f; // no UTF-16 surrogates
  } else if (b >= 0xf0 && b <= 0xf4) {
    length = 4;
    if (b === 0xf0) low = 0x90;
    if (b === 0xf4) high = 0x8f;
  } else return 0;
  if (at + length > end) return 0;
  const second = bytes[at + 1] as number;
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k++) {
    const c = bytes[at + k] as number;
    if (c < 0x80 || c > 0xbf) return 0;
  }
  return length;
}

function decodeLoose(bytes: Uint8Array, start: number, end: number): string {
  let text = "";
  let i = start;
  while (i < end) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      text += String.fromCharCode(b);
      i++;
      continue;
    }
    const length = sequenceLength(bytes, i, end);
    if (length === 0) {
      text += String.fromCharCode(0xdc00 + b);
      i++;
    } else {
      text += utf8.decode(bytes.subarray(i, i + length));
      i += length;
    }
  }
  return text;
}

/**
 * Encodes a string as {@linkcode decodeText} decoded it: UTF-8, with the
 * lone surrogates U+DC80–U+DCFF as the bytes 0x80–0xFF. Any other lone
 * surrogate becomes U+FFFD, as `TextEncoder` does.
 *
 * @param text The string.
 * @returns The bytes.
 */
export function encodeText(text: string): Uint8Array<ArrayBuffer> {
  if (text.length <= SMALL) {
    // Short ASCII (names): a small array V8 keeps on its own heap, where
    // TextEncoder would allocate memory outside it for each call.
    const bytes = new Uint8Array(text.length);
    let i = 0;
    for (; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) break;
      bytes[i] = unit;
    }
    if (i === text.length) return bytes;
  }
  if (!SURROGATE.test(text)) return encoder.encode(text);
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc80 && unit <= 0xdcff) {
      bytes.push(unit - 0xdc00);
      continue;
    }
    const next = text.charCodeAt(i + 1);
    const pair = unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
    for (const b of encoder.encode(text.slice(i, pair ? i + 2 : i + 1))) bytes.push(b);
    if (pair) i++;
  }
  return new Uint8Array(bytes);
}

/**
 * Why a string cannot stand for a byte string exactly, or `undefined` when
 * it can: it holds a lone surrogate that is not an escaped byte, or escaped
 * bytes that form valid UTF-8 (the same bytes have another spelling, and
 * only the one {@linkcode decodeText} gives is accepted).
 *
 * @param text The string.
 * @returns The reason, as a phrase.
 */
export function textProblem(text: string): string | undefined {
  if (!SURROGATE.test(text)) return undefined;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff || (unit >= 0xdc80 && unit <= 0xdcff)) continue;
    const next = text.charCodeAt(i + 1);
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    return `it holds the lone surrogate U+${unit.toString(16).toUpperCase()}`;
  }
  if (decodeText(encodeText(text)) !== text) {
    return "its escaped bytes (U+DC80-U+DCFF) form valid UTF-8: write the characters instead";
  }
  return undefined;
}
