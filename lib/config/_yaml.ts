/**
 * YAML (and JSON, which YAML 1.2 contains) with the position of every key
 * and value, through js-yaml's node listener. js-yaml reads no environment
 * variable, so a config needs no `--allow-env`; this module is loaded only
 * by the subcommands that read configs.
 *
 * @module
 */

// @ts-types="@types/js-yaml"
import { load, YAMLException } from "js-yaml";

/** A place in the text: 1-based line and column. */
export interface Position {
  /** The line, from 1. */
  line: number;
  /** The column, from 1 (in UTF-16 code units). */
  column: number;
}

/** A step into a document: a mapping key or a sequence index. */
export type PathStep = string | number;

interface Node {
  start: number;
  end: number;
  result: unknown;
  children: Node[];
}

/** A loaded document, and where each of its parts is. */
export interface Located {
  /** The value (`undefined` for an empty document). */
  value: unknown;
  /**
   * Where the part at `path` is: its key (for a mapping entry) or its
   * value; the nearest enclosing part when the path goes nowhere.
   */
  position(path: readonly PathStep[], part?: "key" | "value"): Position;
}

/** A YAML syntax error at a place. */
export class YamlSyntaxError extends Error {
  /** Where. */
  readonly position: Position;

  /**
   * @param message What is wrong.
   * @param position Where.
   */
  constructor(message: string, position: Position) {
    super(message);
    this.name = "YamlSyntaxError";
    this.position = position;
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Loads one YAML document.
 *
 * @param text The text.
 * @returns The value and its positions.
 * @throws {YamlSyntaxError} When the text is not YAML, holds a duplicate
 *   key, or more than one document.
 */
export function loadYaml(text: string): Located {
  // Positions are needed only for problems: the text is read again, with
  // js-yaml's node listener (several times slower), the first time one is asked for.
  const value = parse(text);
  let position: Located["position"] | undefined;
  return {
    value,
    position(path, part) {
      position ??= locate(text);
      return position(path, part);
    },
  };
}

function parse(text: string, listener?: (event: string, state: unknown) => void): unknown {
  try {
    return listener === undefined ? load(text) : load(text, { listener } as never);
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const mark = error.mark as { line?: number; column?: number } | undefined;
    throw new YamlSyntaxError(error.reason ?? error.message, {
      line: (mark?.line ?? 0) + 1,
      column: (mark?.column ?? 0) + 1,
    });
  }
}

/** Reads the text again, noting where each node is. */
function locate(text: string): Located["position"] {
  const root: Node = { start: 0, end: text.length, result: undefined, children: [] };
  const stack: Node[] = [root];
  const value = parse(text, (event, raw) => {
    const state = raw as { position: number; result: unknown };
    if (event === "open") {
      stack.push({ start: state.position, end: 0, result: undefined, children: [] });
      return;
    }
    const node = stack.pop() as Node;
    node.end = state.position;
    node.result = state.result;
    (stack.at(-1) as Node).children.push(node);
  });
  const starts = lineStarts(text);
  const at = (offset: number): Position => {
    // Skip the blanks a value node starts with.
    while (offset < text.length && /[ \t\r\n]/.test(text[offset] as string)) offset++;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (starts[low] as number) + 1 };
  };
  const top = root.children.find((n) => n.result === value) ?? root.children.at(-1);
  return (path, part = "value") => {
    let node = top;
    let key: Node | undefined;
    for (const step of path) {
      if (node === undefined) break;
      const found = child(node, step);
      if (found === undefined) break;
      [key, node] = found;
    }
    const chosen = part === "key" && key !== undefined ? key : node;
    return at(chosen?.start ?? 0);
  };
}

/** The key node (for a mapping) and the value node of `step` under `node`. */
function child(node: Node, step: PathStep): [Node | undefined, Node] | undefined {
  // A flow collection is a node inside a node of the same value.
  while (node.children.length === 1 && node.children[0]?.result === node.result) {
    node = node.children[0] as Node;
  }
  const kids = node.children;
  if (Array.isArray(node.result)) {
    if (typeof step !== "number" || kids.length !== node.result.length) return undefined;
    const item = kids[step];
    return item && [undefined, item];
  }
  if (kids.length % 2 !== 0) return undefined;
  for (let i = 0; i < kids.length; i += 2) {
    if ((kids[i] as Node).result === step) return [kids[i], kids[i + 1] as Node];
  }
  return undefined;
}
