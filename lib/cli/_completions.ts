/**
 * `tuntap completions { bash | zsh | fish }`: a completion script written
 * from the one description of the grammar (each subcommand's spec and the
 * global options), so that it cannot drift from the parsers: the script
 * holds the keyword tables and walks a command line as the parsers do
 * (first match in table order, "prefix" keywords by any prefix, "exact" ones
 * whole), then offers what fits where the cursor is, by kind of value.
 *
 * Device names are what `tuntap show` prints, run by the script (as
 * `$TUNTAP`, or `tuntap`), in the namespace of the `-n NS` on the line.
 *
 * @module
 */

import { SCOPES } from "../address/_inet.ts";
import type { Command } from "./_context.ts";
import {
  CliExit,
  type CommandSpec,
  garbage,
  invalidArgument,
  type Keyword,
  type ValueKind,
} from "./_grammar.ts";
import { optionHelp } from "./_about.ts";
import { COLOR_HELP, OPTIONS } from "./_options.ts";

/** The shells a script is written for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;
/** A shell a script is written for. */
export type Shell = typeof SHELLS[number];

/** The words a value of a kind may be, where the kind has a fixed set. */
export const KIND_WORDS: Readonly<Partial<Record<ValueKind, readonly string[]>>> = {
  mode: ["tun", "tap"],
  onoff: ["on", "off"],
  scope: Object.values(SCOPES),
  lifetime: ["forever"],
};

/**
 * The kinds of the global options' values, which their table names only in
 * words ("batch file"); an option with a value and no kind here is `text`.
 */
export const OPTION_KINDS: Readonly<Record<string, ValueKind>> = {
  "-batch": "file",
  "-netns": "netns",
};

/**
 * `-color`, which the option table leaves to its own parser (it takes
 * `=VALUE`), at its place in the matching order: just before `-help`.
 */
export const COLOR_OPTION = "-color";

/** One entry of a table the script walks: a keyword or an option. */
interface Entry {
  readonly word: string;
  readonly match: "prefix" | "exact";
  /** The kind of its value; none for a flag. */
  readonly value?: ValueKind;
}

/** A subcommand or an action, as the script knows it. */
interface Table {
  /** Its id in the script (`5`, `5_0`). */
  readonly id: string;
  readonly names: readonly string[];
  readonly keywords: readonly Keyword[];
  readonly operand?: ValueKind;
  readonly actions: readonly Table[];
}

/** The grammar, as every script holds it. */
export interface CompletionGrammar {
  /** The global options, in matching order. */
  readonly options: readonly Entry[];
  /** The option words offered after `-` (the table's and the GNU spellings). */
  readonly optionWords: readonly string[];
  /** The values of `-color=`. */
  readonly colors: readonly string[];
  /** The subcommands, in matching order. */
  readonly commands: readonly Table[];
}

/** A word the scripts carry unquoted: no shell syntax, no `:` (their separator). */
const PLAIN = /^[A-Za-z0-9_.+-]+$/;

function plain(word: string): string {
  if (!PLAIN.test(word)) throw new Error(`completions: "${word}" cannot go in a script as it is`);
  return word;
}

function table(spec: CommandSpec, id: string): Table {
  return {
    id,
    names: spec.names,
    keywords: spec.keywords,
    ...(spec.operand === undefined ? {} : { operand: spec.operand }),
    actions: (spec.actions ?? []).map((action, i) => table(action, `${id}_${i}`)),
  };
}

/**
 * The grammar the scripts walk, from the specs and the option table.
 *
 * @param specs Every subcommand's description, in matching order.
 * @returns The grammar.
 */
export function completionGrammar(specs: readonly CommandSpec[]): CompletionGrammar {
  const options: Entry[] = OPTIONS.map((o) => {
    const kind = o.value === undefined ? undefined : OPTION_KINDS[o.name] ?? "text";
    return {
      word: o.name,
      match: o.exact ? "exact" : "prefix",
      ...(kind === undefined ? {} : { value: kind }),
    };
  });
  options.splice(options.findIndex((o) => o.word === "-help"), 0, {
    word: COLOR_OPTION,
    match: "prefix",
  });
  const gnu = optionHelp().flatMap(([spelling]) =>
    spelling.split(/[ ,]+/).filter((w) => w.startsWith("--"))
  );
  return {
    options,
    optionWords: [...options.map((o) => o.word), ...gnu],
    colors: /\[=([^\]]*)\]/.exec(COLOR_HELP[0])?.[1]?.split("|") ?? [],
    commands: specs.map((spec, i) => table(spec, String(i))),
  };
}

/** Every table, subcommands and their actions. */
function allTables(grammar: CompletionGrammar): Table[] {
  return grammar.commands.flatMap((c) => [c, ...c.actions]);
}

/** A table's entries as the scripts hold them: `word:p|e:kind`. */
function encode(entries: readonly Entry[]): string {
  return entries.map((e) =>
    `${plain(e.word)}:${e.match === "exact" ? "e" : "p"}:${e.value === undefined ? "" : e.value}`
  ).join(" ");
}

/** A shell word in single quotes. */
function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

const HEADER = (shell: Shell, install: string) =>
  `# ${shell} completion for tuntap, written by \`tuntap completions ${shell}\` from the
# CLI's own grammar: do not edit, write it again. ${install}
# Device names come from running the CLI: $TUNTAP (a command name or path)
# if set, else tuntap; with the namespace of any -n NS on the command line.
`;

/** The tables as `local -A`/`typeset -A` members (`[id]=value` for bash, pairs for zsh). */
function assoc(
  grammar: CompletionGrammar,
  value: (t: Table) => string | undefined,
  pair: (key: string, value: string) => string,
): string {
  return allTables(grammar).flatMap((t) => {
    const v = value(t);
    return v === undefined ? [] : [pair(t.id, quote(v))];
  }).join(" ");
}

function kindWords(pair: (key: string, value: string) => string): string {
  return Object.entries(KIND_WORDS).map(([kind, words]) =>
    pair(kind, quote((words ?? []).map(plain).join(" ")))
  ).join(" ");
}

/** The data every walker reads, for bash and zsh. */
function shellData(grammar: CompletionGrammar, pair: (k: string, v: string) => string): string {
  const names = assoc(grammar, (t) => t.names.map(plain).join(" "), pair);
  const keywords = assoc(grammar, (t) => encode(t.keywords), pair);
  const operands = assoc(grammar, (t) => t.operand, pair);
  const actions = assoc(
    grammar,
    (t) => t.actions.length === 0 ? undefined : t.actions.map((a) => a.id).join(" "),
    pair,
  );
  return `  local -a cmds=(${grammar.commands.map((c) => c.id).join(" ")})
  local opt_table=${quote(encode(grammar.options))}
  local option_words=${quote(grammar.optionWords.map(plain).join(" "))}
  local color=${quote(COLOR_OPTION)} colors=${quote(grammar.colors.map(plain).join(" "))}
  local -A names keywords operands actions values
  names=(${names})
  keywords=(${keywords})
  operands=(${operands})
  actions=(${actions})
  values=(${kindWords(pair)})`;
}

/**
 * The bash script (bash 4.4 and later; `complete -F`).
 *
 * @param grammar The grammar.
 * @returns The script.
 */
export function bashScript(grammar: CompletionGrammar): string {
  const data = shellData(grammar, (k, v) => `[${k}]=${v}`);
  return `${
    HEADER(
      "bash",
      "Install:\n#   tuntap completions bash > /etc/bash_completion.d/tuntap\n# or add to ~/.bashrc:  source <(tuntap completions bash)",
    )
  }
# _tuntap_find TABLE WORD: the first entry of TABLE (word:match:kind ...) that
# WORD names, in REPLY ("p": any non-empty prefix, "e": the whole word).
_tuntap_find() {
  local entry word
  for entry in $1; do
    word=\${entry%%:*}
    case \${entry#*:} in
    e:*) [[ $2 == "$word" ]] ;;
    *) [[ -n $2 && $word == "$2"* ]] ;;
    esac && {
      REPLY=$entry
      return 0
    }
  done
  REPLY=
  return 1
}

# _tuntap_devices NS [all]: the TUN/TAP devices (with "all", every link) of NS.
_tuntap_devices() {
  local line
  local -A seen=()
  while IFS= read -r line; do
    [[ $line == [![:space:]]*': '* ]] || continue
    line=\${line%%: *}
    [[ -n \${seen[$line]+1} ]] || { seen[$line]=1; printf '%s\\n' "$line"; }
  done < <("\${TUNTAP:-tuntap}" \${1:+-netns "$1"} show 2>/dev/null)
  [[ -n $2 ]] && command -v ip >/dev/null 2>&1 || return 0
  while read -r _ line _; do
    line=\${line%:}
    line=\${line%%@*}
    [[ -n $line ]] || continue
    [[ -n \${seen[$line]+1} ]] || { seen[$line]=1; printf '%s\\n' "$line"; }
  done < <(ip \${1:+-n "$1"} -o link show 2>/dev/null)
}

# _tuntap_netns: the names of the network namespaces.
_tuntap_netns() {
  local name
  if command -v ip >/dev/null 2>&1; then
    ip netns list 2>/dev/null | while read -r name _; do printf '%s\\n' "$name"; done
  else
    for name in /run/netns/*; do [[ -e $name ]] && printf '%s\\n' "\${name##*/}"; done
  fi
}

# _tuntap_add CUR WORD...: adds the WORDs that start with CUR to COMPREPLY.
_tuntap_add() {
  local cur=$1 word quoted
  shift
  for word; do
    [[ $word == "$cur"* ]] || continue
    printf -v quoted '%q' "$word"
    COMPREPLY+=("$quoted")
  done
}

# _tuntap_values KIND NS CUR: adds the values of KIND that start with CUR.
_tuntap_values() {
  local -a list=()
  case $1 in
  file)
    compopt -o filenames 2>/dev/null
    mapfile -t -O \${#COMPREPLY[@]} COMPREPLY < <(compgen -f -- "$3")
    ;;
  user) mapfile -t -O \${#COMPREPLY[@]} COMPREPLY < <(compgen -u -- "$3") ;;
  group) mapfile -t -O \${#COMPREPLY[@]} COMPREPLY < <(compgen -g -- "$3") ;;
  netns) mapfile -t list < <(_tuntap_netns) ;;
  tuntap) mapfile -t list < <(_tuntap_devices "$2") ;;
  device) mapfile -t list < <(_tuntap_devices "$2" all) ;;
  *) [[ -n \${values[$1]+1} ]] && read -ra list <<<"\${values[$1]}" ;;
  esac
  _tuntap_add "$3" "\${list[@]}"
}

# _tuntap_words: the words up to the cursor in w, joined again where
# COMP_WORDBREAKS split them (-c=auto, a MAC address), the cursor's in c.
_tuntap_words() {
  w=() c=0
  if [[ -z \${COMP_LINE+1} ]]; then
    w=("\${COMP_WORDS[@]:0:COMP_CWORD+1}")
    c=$COMP_CWORD
    return
  fi
  local line=\${COMP_LINE:0:COMP_POINT} word space j
  for ((j = 0; j <= COMP_CWORD; j++)); do
    word=\${COMP_WORDS[j]}
    space=\${line%%[![:space:]]*}
    line=\${line#"$space"}
    if ((j > 0)) && [[ -z $space ]]; then
      w[\${#w[@]} - 1]+=$word
    else
      w+=("$word")
    fi
    line=\${line#"$word"}
  done
  c=$((\${#w[@]} - 1))
}

# _tuntap_pick WORD ID...: the first ID (a subcommand or action) that has a
# name WORD is a prefix of, in REPLY.
_tuntap_pick() {
  local word=$1 id name
  shift
  for id; do
    for name in \${names[$id]}; do
      [[ -n $word && $name == "$word"* ]] && {
        REPLY=$id
        return 0
      }
    done
  done
  REPLY=
  return 1
}

# _tuntap_walk: walks the words w up to the cursor c as the CLI reads them,
# and adds what fits at the cursor to COMPREPLY.
_tuntap_walk() {
  local cur=\${w[c]} REPLY kind id word ns= opts=1 i=1
  local -a list
  # The global options, as ip reads them.
  while ((i < c)); do
    word=\${w[i]}
    if [[ $word == -- ]]; then
      opts=0
      ((i++))
      break
    fi
    [[ $word == -* ]] || break
    [[ $word == --* ]] && word=\${word#-}
    kind=
    _tuntap_find "$opt_table" "$word" && kind=\${REPLY##*:}
    if [[ -n $kind ]]; then
      if ((i + 1 == c)); then
        _tuntap_values "$kind" "$ns" "$cur"
        return
      fi
      [[ $kind == netns ]] && ns=\${w[i + 1]}
      ((i += 2))
    else
      ((i++))
    fi
  done
  if ((i == c)); then
    if ((opts)) && [[ $cur == -* ]]; then
      if [[ $cur == *=* ]] && _tuntap_find "$opt_table" "\${cur%%=*}" &&
        [[ \${REPLY%%:*} == "$color" ]]; then
        read -ra list <<<"$colors"
        _tuntap_add "$cur" "\${list[@]/#/\${cur%%=*}=}"
      else
        read -ra list <<<"$option_words"
        _tuntap_add "$cur" "\${list[@]}"
      fi
    else
      for id in "\${cmds[@]}"; do
        read -ra list <<<"\${names[$id]}"
        _tuntap_add "$cur" "\${list[@]}"
      done
    fi
    return
  fi
  # The subcommand, its action, then its keywords.
  _tuntap_pick "\${w[i]}" "\${cmds[@]}" || return
  id=$REPLY
  ((i++))
  if [[ -n \${actions[$id]} ]]; then
    if ((i == c)); then
      for id in \${actions[$id]}; do
        read -ra list <<<"\${names[$id]}"
        _tuntap_add "$cur" "\${list[@]}"
      done
      return
    fi
    _tuntap_pick "\${w[i]}" \${actions[$id]} || return
    id=$REPLY
    ((i++))
  fi
  while ((i < c)); do
    kind=
    _tuntap_find "\${keywords[$id]}" "\${w[i]}" && kind=\${REPLY##*:}
    if [[ -n $kind ]]; then
      if ((i + 1 == c)); then
        _tuntap_values "$kind" "$ns" "$cur"
        return
      fi
      ((i += 2))
    else
      ((i++))
    fi
  done
  list=()
  for word in \${keywords[$id]}; do list+=("\${word%%:*}"); done
  _tuntap_add "$cur" "\${list[@]}"
  [[ -z \${operands[$id]} ]] || _tuntap_values "\${operands[$id]}" "$ns" "$cur"
}

_tuntap() {
${data}
  local -a w
  local c word reply i
  COMPREPLY=()
  _tuntap_words
  _tuntap_walk
  # Bash replaces only what follows the last break character (= or :).
  word=\${COMP_WORDS[COMP_CWORD]}
  if [[ \${w[c]} != "$word" && \${w[c]} == *"$word" ]]; then
    word=\${w[c]%"$word"}
    for i in "\${!COMPREPLY[@]}"; do
      reply=\${COMPREPLY[i]}
      [[ $reply == "$word"* ]] && COMPREPLY[i]=\${reply#"$word"}
    done
  fi
  return 0
}

complete -F _tuntap tuntap
`;
}

/**
 * The zsh script (`#compdef`: a file `_tuntap` in `$fpath`, or sourced
 * after `compinit`).
 *
 * @param grammar The grammar.
 * @returns The script.
 */
export function zshScript(grammar: CompletionGrammar): string {
  const data = shellData(grammar, (k, v) => `${k} ${v}`);
  return `#compdef tuntap
${
    HEADER(
      "zsh",
      'Install:\n#   tuntap completions zsh > "\${fpath[1]}/_tuntap"\n# or, after compinit in ~/.zshrc:  source <(tuntap completions zsh)',
    )
  }
# _tuntap_find TABLE WORD: the first entry of TABLE (word:match:kind ...) that
# WORD names, in REPLY ("p": any non-empty prefix, "e": the whole word).
_tuntap_find() {
  emulate -L zsh
  local entry word
  for entry in \${=1}; do
    word=\${entry%%:*}
    if [[ \${\${entry#*:}%%:*} == e ]]; then
      [[ $2 == "$word" ]] && { REPLY=$entry; return 0 }
    else
      [[ -n $2 && $word == "$2"* ]] && { REPLY=$entry; return 0 }
    fi
  done
  REPLY=
  return 1
}

# _tuntap_devices NS [all]: the TUN/TAP devices (with "all", every link) of NS.
_tuntap_devices() {
  emulate -L zsh
  local line cli=\${TUNTAP:-tuntap}
  local -A seen
  for line in \${(f)"$($cli \${1:+-netns} $1 show 2>/dev/null)"}; do
    [[ $line == [^[:space:]]*': '* ]] || continue
    line=\${line%%: *}
    (( \${+seen[$line]} )) || { seen[$line]=1; print -r -- $line }
  done
  [[ -n $2 ]] && (( \${+commands[ip]} )) || return 0
  for line in \${(f)"$(ip \${1:+-n} $1 -o link show 2>/dev/null)"}; do
    line=\${\${\${\${=line}[2]}%:}%%@*}
    [[ -n $line ]] || continue
    (( \${+seen[$line]} )) || { seen[$line]=1; print -r -- $line }
  done
}

# _tuntap_netns: the names of the network namespaces.
_tuntap_netns() {
  emulate -L zsh
  local name
  if (( \${+commands[ip]} )); then
    for name in \${(f)"$(ip netns list 2>/dev/null)"}; do print -r -- \${name%% *}; done
  else
    for name in /run/netns/*(N); do print -r -- \${name:t}; done
  fi
}

# _tuntap_values KIND NS: offers the values of KIND.
_tuntap_values() {
  case $1 in
  file) _files ;;
  user) _users ;;
  group) _groups ;;
  netns) compadd -- \${(f)"$(_tuntap_netns)"} ;;
  tuntap) compadd -- \${(f)"$(_tuntap_devices "$2")"} ;;
  device) compadd -- \${(f)"$(_tuntap_devices "$2" all)"} ;;
  *) (( \${+values[$1]} )) && compadd -- \${=values[$1]} ;;
  esac
}

# _tuntap_pick WORD ID...: the first ID (a subcommand or action) that has a
# name WORD is a prefix of, in REPLY.
_tuntap_pick() {
  local word=$1 id name
  shift
  for id; do
    for name in \${=names[$id]}; do
      [[ -n $word && $name == "$word"* ]] && { REPLY=$id; return 0 }
    done
  done
  REPLY=
  return 1
}

_tuntap() {
  emulate -L zsh
${data}
  local cur=$words[CURRENT] REPLY kind id word ns= opts=1 i=2
  # The global options, as ip reads them.
  while (( i < CURRENT )); do
    word=$words[i]
    if [[ $word == -- ]]; then
      opts=0
      (( i++ ))
      break
    fi
    [[ $word == -* ]] || break
    [[ $word == --* ]] && word=\${word#-}
    kind=
    _tuntap_find "$opt_table" "$word" && kind=\${REPLY##*:}
    if [[ -n $kind ]]; then
      if (( i + 1 == CURRENT )); then
        _tuntap_values $kind "$ns"
        return
      fi
      [[ $kind == netns ]] && ns=\${(Q)words[i + 1]}
      (( i += 2 ))
    else
      (( i++ ))
    fi
  done
  if (( i == CURRENT )); then
    if (( opts )) && [[ $cur == -* ]]; then
      if [[ $cur == *=* ]] && _tuntap_find "$opt_table" "\${cur%%=*}" &&
        [[ \${REPLY%%:*} == "$color" ]]; then
        compadd -- \${\${=colors}/#/\${cur%%=*}=}
      else
        compadd -- \${=option_words}
      fi
    else
      for id in $cmds; do compadd -- \${=names[$id]}; done
    fi
    return
  fi
  # The subcommand, its action, then its keywords.
  _tuntap_pick "$words[i]" $cmds || return 1
  id=$REPLY
  (( i++ ))
  if [[ -n $actions[$id] ]]; then
    if (( i == CURRENT )); then
      for id in \${=actions[$id]}; do compadd -- \${=names[$id]}; done
      return
    fi
    _tuntap_pick "$words[i]" \${=actions[$id]} || return 1
    id=$REPLY
    (( i++ ))
  fi
  while (( i < CURRENT )); do
    kind=
    _tuntap_find "$keywords[$id]" "$words[i]" && kind=\${REPLY##*:}
    if [[ -n $kind ]]; then
      if (( i + 1 == CURRENT )); then
        _tuntap_values $kind "$ns"
        return
      fi
      (( i += 2 ))
    else
      (( i++ ))
    fi
  done
  compadd -- \${\${=keywords[$id]}%%:*}
  [[ -z $operands[$id] ]] || _tuntap_values $operands[$id] "$ns"
  return 0
}

if [[ $funcstack[1] == _tuntap ]]; then
  _tuntap "$@"
elif (( \${+functions[compdef]} )); then
  compdef _tuntap tuntap
else
  print -u2 "tuntap completions: run 'autoload -U compinit && compinit' first"
fi
`;
}

/**
 * The fish script (`complete -c tuntap`).
 *
 * @param grammar The grammar.
 * @returns The script.
 */
export function fishScript(grammar: CompletionGrammar): string {
  const set = (name: string, words: readonly string[]) =>
    `set -g __tuntap_${name}${words.map((w) => ` ${quote(w)}`).join("")}`;
  const data = [
    set("options", grammar.options.map((o) => encode([o]))),
    set("option_words", grammar.optionWords.map(plain)),
    set("color", [COLOR_OPTION]),
    set("colors", grammar.colors.map(plain)),
    set("commands", grammar.commands.map((c) => c.id)),
    ...allTables(grammar).flatMap((t) => [
      set(`names_${t.id}`, t.names.map(plain)),
      set(`keywords_${t.id}`, t.keywords.map((k) => encode([k]))),
      set(`operand_${t.id}`, t.operand === undefined ? [] : [t.operand]),
      set(`actions_${t.id}`, t.actions.map((a) => a.id)),
    ]),
    ...Object.entries(KIND_WORDS).map(([kind, words]) =>
      set(`values_${kind}`, (words ?? []).map(plain))
    ),
  ].join("\n");
  return `${
    HEADER(
      "fish",
      "Install:\n#   tuntap completions fish > ~/.config/fish/completions/tuntap.fish",
    )
  }
${data}

# __tuntap_find WORD ENTRY...: the first ENTRY (word:match:kind) that WORD
# names ("p": any non-empty prefix, "e": the whole word).
function __tuntap_find
    set -l word $argv[1]
    set -l length (string length -- "$word")
    for entry in $argv[2..-1]
        set -l parts (string split : -- $entry)
        if test "$parts[2]" = e
            test "x$word" = "x$parts[1]"
        else
            test $length -gt 0
            and test "x"(string sub -l $length -- $parts[1]) = "x$word"
        end
        and echo $entry
        and return 0
    end
    return 1
end

# __tuntap_devices NS [all]: the TUN/TAP devices (with "all", every link) of NS.
function __tuntap_devices
    set -l cli tuntap
    test -n "$TUNTAP"; and set cli $TUNTAP
    set -l netns
    test -n "$argv[1]"; and set netns -netns $argv[1]
    set -l names
    for line in ($cli $netns show 2>/dev/null)
        string match -qr '^\\S.*: ' -- $line; or continue
        set -l name (string replace -r ': .*' '' -- $line)
        contains -- $name $names; or set -a names $name
    end
    if test -n "$argv[2]"; and command -q ip
        set netns
        test -n "$argv[1]"; and set netns -n $argv[1]
        for line in (ip $netns -o link show 2>/dev/null)
            set -l name (string split ' ' -- $line)[2]
            set name (string replace -r ':$' '' -- $name | string replace -r '@.*' '')
            test -n "$name"; or continue
            contains -- $name $names; or set -a names $name
        end
    end
    for name in $names
        echo $name
    end
end

# __tuntap_netns: the names of the network namespaces.
function __tuntap_netns
    if command -q ip
        ip netns list 2>/dev/null | string replace -r ' .*' ''
    else
        for name in /run/netns/*
            basename $name
        end
    end
end

# __tuntap_values KIND NS: the values of KIND.
function __tuntap_values
    switch $argv[1]
        case file
            __fish_complete_path (commandline -ct)
        case user
            __fish_complete_users
        case group
            __fish_complete_groups
        case netns
            __tuntap_netns
        case tuntap
            __tuntap_devices "$argv[2]"
        case device
            __tuntap_devices "$argv[2]" all
        case '*'
            set -l values __tuntap_values_$argv[1]
            set -q $values; and printf '%s\\n' $$values
    end
end

# __tuntap_complete: what fits where the cursor is.
function __tuntap_complete
    set -l words (commandline -xpc 2>/dev/null)
    or set words (commandline -opc)
    set -l cur (commandline -ct)
    set -l current (math (count $words) + 1)
    set -l i 2
    set -l ns
    set -l opts 1
    set -l entry
    # The global options, as ip reads them.
    while test $i -lt $current
        set -l word $words[$i]
        if test "x$word" = x--
            set opts 0
            set i (math $i + 1)
            break
        end
        string match -q -- '-*' $word; or break
        string match -q -- '--*' $word; and set word (string sub -s 2 -- $word)
        set -l kind
        set entry (__tuntap_find $word $__tuntap_options)
        and set kind (string split : -- $entry)[3]
        if test -n "$kind"
            if test (math $i + 1) -eq $current
                __tuntap_values $kind "$ns"
                return
            end
            test $kind = netns; and set ns $words[(math $i + 1)]
            set i (math $i + 2)
        else
            set i (math $i + 1)
        end
    end
    if test $i -eq $current
        if test $opts = 1; and string match -q -- '-*' $cur
            set -l name (string split -m1 = -- $cur)[1]
            if string match -q -- '*=*' $cur
                and set entry (__tuntap_find $name $__tuntap_options)
                and test (string split : -- $entry)[1] = $__tuntap_color
                for value in $__tuntap_colors
                    echo "$name=$value"
                end
            else
                printf '%s\\n' $__tuntap_option_words
            end
        else
            for id in $__tuntap_commands
                set -l names __tuntap_names_$id
                printf '%s\\n' $$names
            end
        end
        return
    end
    # The subcommand, its action, then its keywords.
    set -l table
    for id in $__tuntap_commands
        set -l names __tuntap_names_$id
        if __tuntap_find $words[$i] (string replace -r '$' ':p:' -- $$names) >/dev/null
            set table $id
            break
        end
    end
    test -n "$table"; or return
    set i (math $i + 1)
    set -l actions __tuntap_actions_$table
    if test (count $$actions) -gt 0
        if test $i -eq $current
            for id in $$actions
                set -l names __tuntap_names_$id
                printf '%s\\n' $$names
            end
            return
        end
        set -l action
        for id in $$actions
            set -l names __tuntap_names_$id
            if __tuntap_find $words[$i] (string replace -r '$' ':p:' -- $$names) >/dev/null
                set action $id
                break
            end
        end
        test -n "$action"; or return
        set table $action
        set i (math $i + 1)
    end
    set -l keywords __tuntap_keywords_$table
    while test $i -lt $current
        set -l kind
        set entry (__tuntap_find $words[$i] $$keywords)
        and set kind (string split : -- $entry)[3]
        if test -n "$kind"
            if test (math $i + 1) -eq $current
                __tuntap_values $kind "$ns"
                return
            end
            set i (math $i + 2)
        else
            set i (math $i + 1)
        end
    end
    string replace -r ':.*' '' -- $$keywords
    set -l operand __tuntap_operand_$table
    test (count $$operand) -gt 0; and __tuntap_values $$operand "$ns"
end

complete -c tuntap -e
complete -c tuntap -f -a '(__tuntap_complete)'
`;
}

/**
 * The completion script for a shell.
 *
 * @param shell The shell.
 * @param specs Every subcommand's description, in matching order.
 * @returns The script.
 */
export function completionScript(shell: Shell, specs: readonly CommandSpec[]): string {
  const grammar = completionGrammar(specs);
  return shell === "bash"
    ? bashScript(grammar)
    : shell === "zsh"
    ? zshScript(grammar)
    : fishScript(grammar);
}

const KEYWORDS: readonly Keyword[] = SHELLS.map((word) => ({ word, match: "exact" }));

/** The grammar of `completions`. */
export const spec: CommandSpec = {
  extension: true,
  names: ["completions"],
  usage: [`completions { ${SHELLS.join(" | ")} }`],
  summary: "print a completion script for the shell, written from this grammar",
  keywords: KEYWORDS,
};

/**
 * The `completions` subcommand.
 *
 * @param specs Loads every subcommand's description (the command table
 *   gives it: this module cannot import the table that loads it).
 * @returns The subcommand.
 */
export function completionsCommand(specs: () => Promise<readonly CommandSpec[]>): Command {
  return {
    spec,
    async run(ctx, words) {
      const [shell, extra] = words;
      if (shell === undefined) {
        throw new CliExit(`Usage: tuntap ${spec.usage[0] as string}`, 255);
      }
      if (!(SHELLS as readonly string[]).includes(shell)) {
        throw invalidArgument(shell, `no completions for it, only for ${SHELLS.join(", ")}`);
      }
      if (extra !== undefined) throw garbage(shell, extra);
      ctx.out.write(completionScript(shell as Shell, await specs()));
      return 0;
    },
  };
}
