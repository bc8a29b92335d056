/**
 * A pure rtnetlink codec: message and attribute builders, a streaming
 * decoder for multi-part dumps, acknowledgements with extended-ack text, and
 * typed link messages. No FFI: it only turns bytes into values and back.
 *
 * @module
 */

export * from "./_addr.ts";
export * from "./_constants.ts";
export * from "./_link.ts";
export * from "./_reader.ts";
export * from "./_text.ts";
export * from "./_writer.ts";
