/**
 * Global options, parsed as `ip` parses them: a word is an option while it
 * starts with `-`; `--` ends them; `--x` is read as `-x`; each word is tried
 * against iproute2's list in iproute2's order and the first prefix match
 * wins, so `-h` would be `-human`, `-b` is `-batch`, `-f` is `-family`.
 * GNU `--help`, `-h` and `--version` are recognised first.
 *
 * @module
 */

import type { ColorChoice } from "./_show.ts";
import { CliExit, invalidArgument, matches } from "./_grammar.ts";

/** A request for the version (`--version`, `-Version`): on stdout, status 0. */
export class VersionRequest extends CliExit {
  /** Creates the request. */
  constructor() {
    super("", 0, true);
    this.name = "VersionRequest";
  }
}

/**
 * A request for this CLI's help text: on stdout with status 0 (`--help`,
 * `-h`), or on stderr with status 255 (iproute2's `-help`).
 */
export class HelpRequest extends CliExit {
  /**
   * Creates the request.
   *
   * @param status The exit status.
   */
  constructor(status: number) {
    super("", status, status === 0);
    this.name = "HelpRequest";
  }
}

/** What the global options ask for. */
export interface GlobalOptions {
  /** `-json`. */
  json: boolean;
  /** `-pretty`. */
  pretty: boolean;
  /** `-details`. */
  details: boolean;
  /** `-oneline`. */
  oneline: boolean;
  /** `-brief` (`addr show`). */
  brief: boolean;
  /** `-force`. */
  force: boolean;
  /** How many times `-stats` was given (`addr flush` reports more with each). */
  stats: number;
  /** `-color[=…]`. */
  color?: ColorChoice;
  /** `-netns NAME`. */
  netns?: string;
  /** `-batch FILE`. */
  batch?: string;
  /** `-4`, `-6`, `-0`, `-M`, `-B` or `-family NAME`: the address family for `addr`. */
  family?: string;
  /** The words after the options. */
  rest: string[];
}

/** One global option, in iproute2's matching order. */
export interface OptionSpec {
  /** The spelled-out option. */
  readonly name: string;
  /** For `--help`: how it is spelled there, and what it does; options without one are not listed. */
  readonly help?: readonly [spelling: string, text: string];
  /** Matched exactly, not by prefix. */
  readonly exact?: boolean;
  /** The option takes a value; this names it in "argument ... is required". */
  readonly value?: string;
  /** Applies the option (and checks its value). */
  readonly apply?: (options: GlobalOptions, value: string) => void;
}

const FAMILIES = new Set(["inet", "inet6", "link", "mpls", "bridge"]);

function checkFamily(options: GlobalOptions, value: string): void {
  if (value === "help") throw new HelpRequest(255);
  if (!FAMILIES.has(value)) throw invalidArgument(value, "invalid protocol family");
  options.family = value;
}

/** `get_unsigned(…, 0)`: a C `strtoul` number of any base that fits 32 bits. */
function checkUnsigned(_options: GlobalOptions, value: string): void {
  const match = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(value);
  const digits = match?.[2];
  const number = digits === undefined
    ? undefined
    : BigInt(/^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits);
  const negative = match?.[1] === "-" && number !== 0n;
  if (number === undefined || negative || number > 0xffffffffn) {
    throw new CliExit(`Invalid rcvbuf size '${value}'`, 255);
  }
}

/** iproute2's option list, in its matching order. */
export const OPTIONS: readonly OptionSpec[] = [
  { name: "-loops", value: "loop count" },
  { name: "-family", value: "family type", apply: checkFamily },
  { name: "-4", exact: true, apply: (o) => o.family = "inet" },
  { name: "-6", exact: true, apply: (o) => o.family = "inet6" },
  { name: "-0", exact: true, apply: (o) => o.family = "link" },
  { name: "-M", exact: true, apply: (o) => o.family = "mpls" },
  { name: "-B", exact: true, apply: (o) => o.family = "bridge" },
  { name: "-human" },
  { name: "-human-readable" },
  { name: "-iec" },
  {
    name: "-stats",
    help: ["-s, -stats", "addr flush: report what it deleted (twice: list it)"],
    apply: (o) => o.stats++,
  },
  { name: "-statistics", apply: (o) => o.stats++ },
  {
    name: "-details",
    help: ["-d, -details", "list the processes holding each device open"],
    apply: (o) => o.details = true,
  },
  { name: "-resolve" },
  {
    name: "-oneline",
    help: ["-o, -oneline", "one line per device (-d) or per address (addr show)"],
    apply: (o) => o.oneline = true,
  },
  { name: "-timestamp" },
  { name: "-tshort" },
  {
    name: "-Version",
    help: ["-V, --version", "print the version"],
    apply: () => {
      throw new VersionRequest();
    },
  },
  {
    name: "-force",
    help: ["-force", "with -batch, go on after a failed command"],
    apply: (o) => o.force = true,
  },
  {
    name: "-batch",
    value: "batch file",
    help: ["-b, -batch FILE|-", "run the commands of FILE (or stdin), one per line, as they come"],
    apply: (o, v) => o.batch = v,
  },
  {
    name: "-brief",
    help: ["-br, -brief", "addr show: one line per device"],
    apply: (o) => o.brief = true,
  },
  {
    name: "-json",
    help: ["-j, -json", "JSON output; -p, -pretty indents it"],
    apply: (o) => o.json = true,
  },
  { name: "-pretty", apply: (o) => o.pretty = true },
  { name: "-rcvbuf", value: "rcvbuf size", apply: checkUnsigned },
  // -color[=...] is matched here, between -rcvbuf and -help (see colorOption).
  {
    name: "-help",
    help: ["-h, --help", "print this help"],
    apply: () => {
      throw new HelpRequest(255);
    },
  },
  {
    name: "-netns",
    value: "netns",
    help: ["-n, -netns NAME", "operate in network namespace NAME (/run/netns/NAME)"],
    apply: (o, v) => o.netns = v,
  },
  { name: "-Numeric" },
  { name: "-all" },
  { name: "-echo", exact: true },
];

const COLOR_AT = OPTIONS.findIndex((o) => o.name === "-help");

/** `-c`, which has no entry of its own in the table, as `--help` lists it. */
export const COLOR_HELP: readonly [string, string] = [
  "-c[=always|auto|never]",
  "colour device names",
];
const COLOR_VALUES: Readonly<Record<string, ColorChoice>> = {
  "": "always",
  always: "always",
  auto: "auto",
  never: "never",
};

/** `-c`, `-color`, `-c=always|auto|never`: the choice, or `undefined` if not a colour option. */
function colorOption(option: string): ColorChoice | undefined {
  const equals = option.indexOf("=");
  const name = equals < 0 ? option : option.slice(0, equals);
  if (!matches(name, "-color")) return undefined;
  return COLOR_VALUES[equals < 0 ? "" : option.slice(equals + 1)];
}

/** GNU spellings, answered before iproute2's list (built only when used: an Error captures a stack). */
const GNU: Readonly<Record<string, () => CliExit>> = {
  "--help": () => new HelpRequest(0),
  "-h": () => new HelpRequest(0),
  "--version": () => new VersionRequest(),
};

/**
 * Parses the global options.
 *
 * @param args The command line.
 * @param checkNetns Called for `-netns NAME` when it is parsed, as iproute2
 *   switches namespace at that point; throws to end the run.
 * @returns The options and the remaining words.
 */
export function parseOptions(
  args: readonly string[],
  checkNetns: (name: string) => void,
): GlobalOptions {
  const options: GlobalOptions = {
    json: false,
    pretty: false,
    details: false,
    oneline: false,
    brief: false,
    force: false,
    stats: 0,
    rest: [],
  };
  let i = 0;
  for (; i < args.length; i++) {
    const word = args[i] as string;
    if (word === "--") {
      i++;
      break;
    }
    if (!word.startsWith("-")) break;
    const gnu = Object.hasOwn(GNU, word) ? GNU[word] : undefined;
    if (gnu) throw gnu();
    const option = word.startsWith("--") ? word.slice(1) : word;
    const color = colorOption(option);
    const index = OPTIONS.findIndex((spec, at) =>
      (at === COLOR_AT && color !== undefined) ||
      (spec.exact ? option === spec.name : matches(option, spec.name))
    );
    if (index === COLOR_AT && color !== undefined) {
      options.color = color;
      continue;
    }
    const spec = OPTIONS[index];
    if (spec === undefined) {
      throw new CliExit(`Option "${option}" is unknown, try "ip -help".`, 255);
    }
    let value = "";
    if (spec.value !== undefined) {
      const next = args[i + 1];
      if (next === undefined) {
        if (spec.name === "-netns") {
          throw new CliExit(
            'Cannot open network namespace "(null)": No such file or directory',
            255,
          );
        }
        throw new CliExit(`Error: argument "${spec.value}" is required`, 255);
      }
      value = next;
      i++;
    }
    spec.apply?.(options, value);
    if (spec.name === "-netns") checkNetns(value);
  }
  options.rest = args.slice(i);
  return options;
}
