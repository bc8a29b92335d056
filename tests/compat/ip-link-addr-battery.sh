#!/usr/bin/env bash
# ip-link-addr-battery.sh - behavioural battery for `ip link set` and `ip addr` on TUN/TAP
# devices (iproute2) and look-alikes such as `tuntap set` / `tuntap addr`.
#
# Usage:
#   ip-link-addr-battery.sh "LINK-SET PREFIX" "ADDR PREFIX" [CASE_ID_PATTERN]
#     LINK-SET PREFIX  how to run the implementation's `link set`, e.g. "ip {OPTS} link set"
#                      or "deno run -A cli.ts {OPTS} set".
#     ADDR PREFIX      how to run the implementation's `addr`, e.g. "ip {OPTS} addr"
#                      or "deno run -A cli.ts {OPTS} addr".
#                      Each prefix is word-split. The word {OPTS} is replaced by the case's
#                      global options (-j, -p, -4, -6, -0, -s, -d, -o, -br, -n NS, ...), or
#                      removed when the case has none. A prefix without {OPTS} gets the
#                      options right after its first word ("ip link set" -> "ip -j link set").
#                      Words that contain a '/' or end in .ts/.js/.sh and name an existing
#                      file relative to the current directory are made absolute. Commands run
#                      with the caller's current directory as their working directory.
#     CASE_ID_PATTERN  optional bash glob on case ids, e.g. 'A*' or 'L0[1-4]*'.
#   Typical diff:
#     bash ip-link-addr-battery.sh "ip {OPTS} link set" "ip {OPTS} addr" > out.ip.txt
#     bash ip-link-addr-battery.sh "deno run -A cli.ts {OPTS} set" "deno run -A cli.ts {OPTS} addr" > out.tuntap.txt
#     diff -u out.ip.txt out.tuntap.txt
#
# Needs: root, /dev/net/tun, util-linux (unshare, nsenter, mount), coreutils timeout, python3,
# and iproute2's `ip` (the REAL one, found on PATH when the script starts) for set-up and for
# the independent state view; the implementation under test is used only for the case command.
#
# Isolation: every case runs in its own throw-away namespaces:
#   unshare --net --mount --pid --fork --mount-proc   + a fresh sysfs on /sys
#   + a private tmpfs on /run/netns,
# so every device (and the named netns "other" some cases make) disappears when the case ends,
# PID 1 is the case's own shell (so `netns 1` means "this namespace"), and nothing is created
# in the caller's network namespace.
#
# Determinism: taps get fixed MACs (02:00:00:00:00:NN in creation order), bridges too
# (02:00:00:00:01:NN); ifindexes are fixed inside a fresh netns; cases that need carrier
# (a process holding the queue) disable IPv6 DAD and give tuns `addrgenmode none`, so no random
# or timing-dependent address appears; set-up and the state view wait until each tun/tap's
# operstate has caught up with its flags and carrier (the kernel updates it asynchronously); finite lifetimes are printed as "finite" in the state
# view, and cases that show them on stdout pipe through sed.
#
# Output per case (byte streams through `cat -A`: "$" marks end of line, "^I" a TAB):
#   === <id>: <description>          ("[HEAD differs]" marks cases where iproute2 HEAD behaves
#                                      differently from 6.1; see iproute2-link-addr.md)
#   # setup: <shell set-up, run with the real ip>
#   $ <command>                       (LS = the link-set prefix, AD = the addr prefix, each
#                                      taking the case's global options first)
#   rc=<exit status>
#   --- stdout / --- stderr
#   --- state (real ip)               links: ip -j -d link show; addrs: ip -j addr show;
#                                     routes: ip -j route show table all (not on lo);
#                                     the same for netns "other" when the case made it.
set -u

SELF=$(readlink -f "$0")

if [ "${1:-}" = "--inner" ]; then
	# ---------------- inner: runs inside the per-case namespaces ----------------
	shift
	CASE_ID=$1 DESC=$2 SETUP=$3 CMD=$4
	export LC_ALL=C
	unset COLORFGBG NO_COLOR
	mount -t sysfs sysfs /sys || { echo "cannot mount sysfs" >&2; exit 99; }
	mkdir -p /run/netns && mount -t tmpfs tmpfs /run/netns
	W=$BATTERY_DIR/case.$CASE_ID     # removed by the outer script's EXIT trap
	mkdir -p "$W" || exit 99
	cd "$BATTERY_CWD" || exit 99

	RIP() { "$BATTERY_IP" "$@"; }
	NTAP=0 NBR=0 NHOLD=0
	mk() {                         # mk NAME tun|tap   (tap gets MAC 02:00:00:00:00:NN)
		RIP tuntap add "$1" mode "$2" || return 1
		if [ "$2" = tap ]; then
			NTAP=$((NTAP + 1))
			RIP link set "$1" address "$(printf '02:00:00:00:00:%02x' "$NTAP")"
		fi
	}
	br() {                         # br NAME   (bridge with MAC 02:00:00:00:01:NN)
		NBR=$((NBR + 1))
		RIP link add "$1" type bridge &&
			RIP link set "$1" address "$(printf '02:00:00:00:01:%02x' "$NBR")"
	}
	nodad() {                      # no IPv6 DAD for devices created after this
		sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	}
	hold() {                       # hold NAME tun|tap  (background process = carrier)
		local f line
		NHOLD=$((NHOLD + 1))
		f=$W/hold.$NHOLD
		mkfifo "$f"
		"$BATTERY_PY" "$BATTERY_DIR/helper.py" hold "$@" > "$f" &
		read -r line < "$f"
	}
	settle() {                     # wait (max 2 s) until each tun/tap's operstate matches its
		local i d fl car want ok     # flags and carrier (linkwatch updates it asynchronously)
		for i in $(seq 200); do
			ok=1
			for d in /sys/class/net/*; do
				[ -e "$d/tun_flags" ] || continue
				fl=$(($(cat "$d/flags")))
				want=down
				if ((fl & 1)) && [ "$(cat "$d/carrier" 2>/dev/null)" = 1 ]; then want=up; fi
				[ "$(cat "$d/operstate")" = "$want" ] || { ok=0; break; }
			done
			if [ $ok = 1 ]; then
				[ "$i" -gt 1 ] && sleep 0.05     # let the notifiers that follow finish
				return 0
			fi
			sleep 0.01
		done
	}
	othernetns() {                 # named netns "other" (private /run/netns)
		touch /run/netns/other && unshare --net=/run/netns/other true
	}
	otherpid() {                   # a process in netns "other"; its PID in $OTHERPID
		local f=$W/otherpid line
		mkfifo "$f"
		nsenter --net=/run/netns/other "$BATTERY_PY" "$BATTERY_DIR/helper.py" sleeper > "$f" &
		read -r line < "$f"
		OTHERPID=$line
	}

	show() {
		echo "--- $1"
		if [ -s "$2" ]; then cat -A "$2"; fi
	}
	state() {
		[ -z "$1" ] && settle
		RIP $1 -j -d link show > "$W/s.link" 2>&1
		RIP $1 -j addr show > "$W/s.addr" 2>&1
		RIP $1 -j route show table all > "$W/s.route" 2>&1
		"$BATTERY_PY" "$BATTERY_DIR/helper.py" state "$W/s.link" "$W/s.addr" "$W/s.route"
	}

	echo "=== $CASE_ID: $DESC"
	if [ -n "$SETUP" ]; then
		echo "# setup: $SETUP"
		eval "$SETUP" > "$W/setup.log" 2>&1 || { echo "# setup FAILED:"; cat "$W/setup.log"; }
	fi
	echo "\$ $CMD"
	eval "$CMD" < /dev/null > "$W/out" 2> "$W/err"
	echo "rc=$?"
	show stdout "$W/out"
	show stderr "$W/err"
	echo "--- state (real ip)"
	state ""
	if [ -e /run/netns/other ]; then
		echo "--- state of netns other (real ip)"
		state "-n other"
	fi
	echo
	exit 0
fi

# ---------------- outer ----------------
LSPREFIX=${1:?usage: $0 "LINK-SET PREFIX" "ADDR PREFIX" [CASE_ID_PATTERN]}
ADPREFIX=${2:?usage: $0 "LINK-SET PREFIX" "ADDR PREFIX" [CASE_ID_PATTERN]}
PATTERN=${3:-*}
[ "$(id -u)" = 0 ] || { echo "must run as root" >&2; exit 2; }
[ -c /dev/net/tun ] || { echo "/dev/net/tun missing" >&2; exit 2; }
BATTERY_IP=$(command -v ip) || { echo "iproute2 ip missing" >&2; exit 2; }
BATTERY_PY=$(python3 -c 'import sys; print(sys.executable)') && [ -n "$BATTERY_PY" ] ||
	{ echo "python3 missing" >&2; exit 2; }
BATTERY_CWD=$PWD
export BATTERY_IP BATTERY_PY BATTERY_CWD

BATTERY_DIR=$(mktemp -d -t ip-link-addr-battery.XXXXXX)
export BATTERY_DIR
trap 'rm -rf "$BATTERY_DIR"' EXIT
mkdir -p "$BATTERY_DIR/bin"

# wrapper NAME PREFIX: $BATTERY_DIR/bin/NAME [GLOBAL-OPTIONS] ARGS...
wrapper() {
	local name=$1 prefix=$2 w words=()
	read -r -a words <<< "$prefix"
	for i in "${!words[@]}"; do
		w=${words[$i]}
		case "$w" in /*|"{OPTS}") continue ;; esac
		if { [[ $w == */* ]] || [[ $w == *.ts ]] || [[ $w == *.js ]] || [[ $w == *.sh ]]; } &&
			[ -e "$PWD/$w" ]; then
			words[$i]="$PWD/$w"
		fi
	done
	{
		echo '#!/usr/bin/env bash'
		printf 'T=('
		printf ' %q' "${words[@]}"
		echo ' )'
		cat <<-'EOF'
		opts=()
		while [ $# -gt 0 ]; do
			case "$1" in
				-n|-netns|--netns|-f|-family|-l|-loops|-rc|-rcvbuf|-b|-batch)
					opts+=("$1"); shift
					if [ $# -gt 0 ]; then opts+=("$1"); shift; fi ;;
				-?*) opts+=("$1"); shift ;;
				*) break ;;
			esac
		done
		cmd=() seen=0
		for w in "${T[@]}"; do
			if [ "$w" = "{OPTS}" ]; then cmd+=("${opts[@]}"); seen=1; else cmd+=("$w"); fi
		done
		if [ $seen = 0 ]; then cmd=("${cmd[0]}" "${opts[@]}" "${cmd[@]:1}"); fi
		exec timeout -k 5 30 "${cmd[@]}" "$@"
		EOF
	} > "$BATTERY_DIR/bin/$name"
	chmod 755 "$BATTERY_DIR/bin/$name"
}
wrapper LS "$LSPREFIX"
wrapper AD "$ADPREFIX"
export PATH="$BATTERY_DIR/bin:$PATH"

cat > "$BATTERY_DIR/helper.py" <<'PYEOF'
import fcntl, json, os, struct, sys, time

def hold(name, mode):
    fl = {'tun': 0x1, 'tap': 0x2}[mode] | 0x1000        # IFF_NO_PI
    fd = os.open('/dev/net/tun', os.O_RDWR)
    fcntl.ioctl(fd, 0x400454ca, struct.pack('16sH22x', os.fsencode(name), fl))   # TUNSETIFF
    print('ready', flush=True)
    while True:
        time.sleep(3600)

def sleeper():
    print(os.getpid(), flush=True)
    while True:
        time.sleep(3600)

def load(path):
    with open(path) as f:
        text = f.read()
    try:
        return json.loads(text)
    except ValueError:
        print('  (unparsable: %r)' % text[:200])
        return []

FOREVER = 4294967295
ADDR_FLAGS = ('secondary', 'temporary', 'nodad', 'optimistic', 'dadfailed', 'home',
              'deprecated', 'tentative', 'permanent', 'mngtmpaddr', 'noprefixroute',
              'autojoin', 'stable-privacy', 'dynamic')

def state(lpath, apath, rpath):
    names = {}
    for l in load(lpath):
        names[l.get('ifindex')] = l.get('ifname')
        w = ['link', str(l.get('ifindex')), l.get('ifname', '?')]
        li = l.get('linkinfo') or {}
        kind = li.get('info_kind')
        if kind:
            k = kind
            t = (li.get('info_data') or {}).get('type')
            if t:
                k += '/' + t
            w.append('kind=' + k)
        if li.get('info_slave_kind'):
            w.append('slave=' + li['info_slave_kind'])
        w.append('<' + ','.join(l.get('flags', [])) + '>')
        for key, label in (('mtu', 'mtu'), ('qdisc', 'qdisc'), ('master', 'master'),
                           ('operstate', 'state'), ('linkmode', 'mode'), ('group', 'group'),
                           ('txqlen', 'qlen')):
            if key in l:
                w.append('%s=%s' % (label, l[key]))
        if 'address' in l and l.get('link_type') != 'loopback':
            w.append('addr=' + l['address'])
            if l.get('broadcast') not in (None, 'ff:ff:ff:ff:ff:ff'):
                w.append('brd=' + l['broadcast'])
        for key in ('promiscuity', 'allmulti', 'ifalias'):
            if l.get(key) not in (None, 0):
                w.append('%s=%s' % (key, l[key]))
        print('  ' + ' '.join(w))
    for l in load(apath):
        for a in l.get('addr_info', []):
            w = ['addr', l.get('ifname', '?'), a.get('family', '?'), '%s/%s' % (a.get('local'), a.get('prefixlen'))]
            if 'address' in a:
                w.append('peer=' + a['address'])
            for key, label in (('broadcast', 'brd'), ('anycast', 'any'), ('metric', 'metric'),
                               ('scope', 'scope'), ('protocol', 'proto'), ('label', 'label')):
                if key in a:
                    w.append('%s=%s' % (label, a[key]))
            fl = [f for f in ADDR_FLAGS if a.get(f) is True]
            if fl:
                w.append('flags=' + ','.join(fl))
            for key, label in (('valid_life_time', 'valid'), ('preferred_life_time', 'pref')):
                if key in a:
                    w.append('%s=%s' % (label, 'forever' if a[key] == FOREVER else 'finite'))
            print('  ' + ' '.join(w))
    for r in load(rpath):
        if r.get('dev') in (None, 'lo'):
            continue
        w = ['route']
        for key in ('type', 'dst', 'dev', 'table', 'protocol', 'scope', 'prefsrc', 'metric'):
            if key in r:
                w.append('%s=%s' % (key, r[key]))
        if r.get('flags'):
            w.append('flags=' + ','.join(r['flags']))
        print('  ' + ' '.join(w))

cmd, args = sys.argv[1], sys.argv[2:]
{'hold': hold, 'sleeper': sleeper, 'state': state}[cmd](*args)
PYEOF

# ---------------- cases ----------------
# c ID "description" "setup (shell; real ip; helpers mk/br/hold/nodad/othernetns/otherpid)" "command"
IDS=() DESCS=() SETUPS=() CMDS=()
c() { IDS+=("$1"); DESCS+=("$2"); SETUPS+=("$3"); CMDS+=("$4"); }
HD=" [HEAD differs]"

T1="mk tun0 tun"
TT="mk tun0 tun; mk tap0 tap"
TTT="mk tun0 tun; mk tap0 tap; mk tun1 tun"
BR="mk tun0 tun; mk tap0 tap; mk tun1 tun; br br0"

# ===== link set: device selection, errors, order =====
c L001 "up (bare name)"                               "$TT"  "LS tun0 up"
c L002 "dev NAME down on an up tap"                   "$TT; ip link set tap0 up" "LS dev tap0 down"
c L003 "no such device"                               "$TT"  "LS nosuch up"
c L004 "no arguments"                                 "$TT"  "LS"
c L005 "keyword only, no device"                      "$TT"  "LS up"
c L006 "two bare names$HD"                               "$TTT" "LS tun0 tun1"
c L007 "bare name then dev NAME$HD"                      "$TTT" "LS tun0 dev tun1"
c L008 "dev twice$HD"                                    "$TTT" "LS dev tun0 dev tun1 up"
c L009 "dev without value"                            "$TT"  "LS dev"
c L010 "dev value missing at the end"                 "$TT"  "LS tap0 dev"
c L011 "ifN names an ifindex"                         "$TT"  "LS if2 up"
c L012 "device name with a space$HD"                  "$TT"  "LS 'a b' up"
c L013 "device name of 17 chars"                      "$TT"  "LS abcdefghijklmnopq up"
c L014 "help (usage, first line)$HD"                     "$TT"  "LS tun0 help"
c L015 "h abbreviates help$HD"                           "$TT"  "LS tun0 h"
c L016 "up then down: last wins"                      "$TT"  "LS tap0 up down"
c L017 "down on a device already down"                "$TT"  "LS tun0 down"
c L018 "parse error reported before unknown device"   "$TT"  "LS nosuch mtu abc"
c L019 "master resolved during parsing"               "$TT"  "LS nosuch master nosuch2"
c L020 "index on set (only for create/netns)"         "$TT"  "LS nosuch index 5"
c L021 "unknown keyword after device = second device$HD" "$TT"  "LS tun0 bogus"
c L022 "several changes in one request"               "$TT"  "LS tap0 mtu 1400 txqueuelen 50 address 02:aa:00:00:00:01 up"
c L023 "one bad change rejects the whole request"     "$TT"  "LS tap0 mtu 1400 address 01:00:00:00:00:01 up"
c L024 "-j: no output on success"                     "$TT"  "LS -j tun0 up"
c L025 "name first, then bare device"                 "$TT"  "LS name foo tun0"
c L026 "name then dev with different value$HD"           "$TT"  "LS tun0 name foo dev tun0"

# ===== mtu =====
c M001 "mtu 1400 on tun"                              "$TT"  "LS tun0 mtu 1400"
c M002 "mtu 9000 on tap"                              "$TT"  "LS tap0 mtu 9000"
c M003 "mtu missing value"                            "$TT"  "LS tun0 mtu"
c M004 "mtu abc"                                      "$TT"  "LS tun0 mtu abc"
c M005 "mtu -1"                                       "$TT"  "LS tun0 mtu -1"
c M006 "mtu 0x10 (hex, 16)"                           "$TT"  "LS tun0 mtu 0x10"
c M007 "mtu 0x5dc (hex, 1500)"                        "$TT"  "LS tun0 mtu 0x5dc"
c M008 "mtu 0"                                        "$TT"  "LS tun0 mtu 0"
c M009 "mtu 67 (below min 68)"                        "$TT"  "LS tun0 mtu 67"
c M010 "mtu 68"                                       "$TT"  "LS tun0 mtu 68"
c M011 "mtu 65535"                                    "$TT"  "LS tap0 mtu 65535"
c M012 "mtu 65536"                                    "$TT"  "LS tap0 mtu 65536"
c M013 "mtu 100000"                                   "$TT"  "LS tun0 mtu 100000"
c M014 "mtu 2147483648 (beyond int)"                  "$TT"  "LS tun0 mtu 2147483648"
c M015 "mtu empty string"                             "$TT"  "LS tun0 mtu ''"
c M016 "mtu 010 (octal 8)"                            "$TT"  "LS tun0 mtu 010"
c M017 "mtu ' 1300' (leading space)"                  "$TT"  "LS tun0 mtu ' 1300'"
c M018 "mtu 100x"                                     "$TT"  "LS tun0 mtu 100x"
c M019 "mtu twice"                                    "$TT"  "LS tun0 mtu 1400 mtu 1300"
c M020 "mt is not mtu$HD"                                "$TT"  "LS tun0 mt 1400"

# ===== txqueuelen =====
c Q001 "txqueuelen 100"                               "$TT"  "LS tun0 txqueuelen 100"
c Q002 "txqlen 200"                                   "$TT"  "LS tap0 txqlen 200"
c Q003 "qlen 300"                                     "$TT"  "LS tun0 qlen 300"
c Q004 "t abbreviates txqueuelen"                     "$TT"  "LS tun0 t 42"
c Q005 "txql abbreviates txqlen"                      "$TT"  "LS tun0 txql 43"
c Q006 "txqlen then txqueuelen: duplicate"            "$TT"  "LS tun0 txqlen 5 txqueuelen 6"
c Q007 "qlen twice: duplicate named txqueuelen"       "$TT"  "LS tun0 qlen 5 qlen 6"
c Q008 "txqlen abc"                                   "$TT"  "LS tun0 txqlen abc"
c Q009 "txqlen -1"                                    "$TT"  "LS tun0 txqlen -1"
c Q010 "txqlen 0"                                     "$TT"  "LS tun0 txqlen 0"
c Q011 "txqlen 4294967296"                            "$TT"  "LS tun0 txqlen 4294967296"
c Q012 "ql is not qlen$HD"                               "$TT"  "LS tun0 ql 5"

# ===== address / broadcast =====
c A001 "address on a tap"                             "$TT"  "LS tap0 address 02:11:22:33:44:55"
c A002 "address on a tun"                             "$TT"  "LS tun0 address 02:11:22:33:44:55"
c A003 "multicast MAC on a tap"                       "$TT"  "LS tap0 address 01:00:00:00:00:01"
c A004 "all-zero MAC on a tap"                        "$TT"  "LS tap0 address 00:00:00:00:00:00"
c A005 "5-byte MAC on a tap"                          "$TT"  "LS tap0 address 02:00:00:00:00"
c A006 "7-byte MAC on a tap"                          "$TT"  "LS tap0 address 02:00:00:00:00:00:07"
c A007 "non-hex octet"                                "$TT"  "LS tap0 address 02:zz:00:00:00:01"
c A008 "octet with trailing junk (1g = 0x01)"         "$TT"  "LS tap0 address 02:1g:00:00:00:01"
c A009 "octet > 255"                                  "$TT"  "LS tap0 address 02:100:00:00:00:01"
c A010 "dotted lladdr on a tap (4 bytes)"             "$TT"  "LS tap0 address 1.2.3.4"
c A011 "addr abbreviation"                            "$TT"  "LS tap0 addr 02:00:00:00:00:42"
c A012 "a abbreviation"                               "$TT"  "LS tap0 a 02:00:00:00:00:43"
c A013 "single-digit octets"                          "$TT"  "LS tap0 address 2:0:0:0:0:9"
c A014 "broadcast on a tap"                           "$TT"  "LS tap0 broadcast 02:00:00:00:00:ff"
c A015 "brd on a tap"                                 "$TT"  "LS tap0 brd ff:ff:ff:ff:ff:fe"
c A016 "broadcast on a tun"                           "$TT"  "LS tun0 broadcast 02:00:00:00:00:ff"
c A017 "address on a missing device"                  "$TT"  "LS nosuch address 02:00:00:00:00:01"
c A018 "address missing value"                       "$TT"  "LS tap0 address"
c A019 "address twice (last wins)"                   "$TT"  "LS tap0 address 02:00:00:00:00:51 address 02:00:00:00:00:52"
c A020 "address on an up tap"                        "$TT; ip link set tap0 up" "LS tap0 address 02:00:00:00:00:61"

# ===== master / nomaster / vrf =====
c B001 "tap master bridge"                            "$BR"  "LS tap0 master br0"
c B002 "tun master bridge"                            "$BR"  "LS tun0 master br0"
c B003 "master missing device"                        "$BR"  "LS tap0 master nosuch"
c B004 "tap master tun (not a master)"                "$BR"  "LS tap0 master tun1"
c B005 "nomaster"                                     "$BR; ip link set tap0 master br0" "LS tap0 nomaster"
c B006 "n abbreviates nomaster"                       "$BR; ip link set tap0 master br0" "LS tap0 n"
c B007 "m abbreviates master"                         "$BR"  "LS tap0 m br0"
c B008 "master then nomaster (last attribute wins)"   "$BR"  "LS tap0 master br0 nomaster"
c B009 "nomaster then master"                         "$BR"  "LS tap0 nomaster master br0"
c B010 "nomaster when not enslaved"                   "$BR"  "LS tap0 nomaster"
c B011 "vrf with a bridge"                            "$BR"  "LS tap0 vrf br0"
c B012 "master missing value"                         "$BR"  "LS tap0 master"
c B013 "master + up"                                  "$BR"  "LS tap0 master br0 up"
c B014 "tap into bridge with a different mtu"         "$BR; ip link set br0 mtu 1400" "LS tap0 master br0"

# ===== netns =====
c N001 "netns NAME"                                   "$TT; othernetns" "LS tun0 netns other"
c N002 "netns /run/netns/NAME path"                   "$TT; othernetns" "LS tap0 netns /run/netns/other"
c N003 "netns PID of a process in other"              "$TT; othernetns; otherpid" "LS tun0 netns \$OTHERPID"
c N004 "netns 1 (this namespace's init)"              "$TT" "LS tun0 netns 1"
c N005 "netns 99999 (no such pid)$HD"                 "$TT" "LS tun0 netns 99999"
c N006 "netns 0x1$HD"                                 "$TT" "LS tun0 netns 0x1"
c N007 "netns unknown name"                           "$TT" "LS tun0 netns nosuchns"
c N008 "netns empty string"                          "$TT" "LS tun0 netns ''"
c N009 "netns a regular file"                         "$TT" "LS tun0 netns /etc/passwd"
c N010 "netns: same name exists in target"            "$TT; othernetns; ip -n other tuntap add tun0 mode tun" "LS tun0 netns other"
c N011 "netns + name (move and rename)"               "$TT; othernetns; ip -n other tuntap add tun0 mode tun" "LS tun0 netns other name tunx"
c N012 "netns twice"                                  "$TT; othernetns" "LS tun0 netns other netns other"
c N013 "netns missing value"                          "$TT" "LS tun0 netns"
c N014 "-n other: set a device there"                 "othernetns; ip -n other tuntap add tun5 mode tun" "LS -n other tun5 up mtu 1280"
c N015 "-n unknown namespace"                         "$TT" "LS -n nosuch tun0 up"
c N016 "-n other: device only in this namespace"      "$TT; othernetns" "LS -n other tun0 up"
c N017 "netns NAME with address on the device"        "$TT; othernetns; ip addr add 10.0.0.1/24 dev tun0" "LS tun0 netns other"
c N018 "netns 01$HD"                                  "$TT" "LS tun0 netns 01"
c N019 "netns 1x"                                     "$TT" "LS tun0 netns 1x"

# ===== name =====
c R001 "rename"                                       "$TT"  "LS tun0 name vpn0"
c R002 "rename to an existing name"                   "$TTT" "LS tun0 name tun1"
c R003 "rename to the same name"                      "$TT"  "LS tun0 name tun0"
c R004 "name empty"                                   "$TT"  "LS tun0 name ''"
c R005 "name with a space"                            "$TT"  "LS tun0 name 'a b'"
c R006 "name of 16 chars"                             "$TT"  "LS tun0 name abcdefghijklmnop"
c R007 "name of 15 chars"                             "$TT"  "LS tun0 name abcdefghijklmno"
c R008 "name .$HD"                                    "$TT"  "LS tun0 name ."
c R009 "name with a colon"                            "$TT"  "LS tun0 name a:b"
c R010 "name with a slash"                            "$TT"  "LS tun0 name a/b"
c R011 "name twice"                                   "$TT"  "LS tun0 name x name y"
c R012 "rename a missing device"                      "$TT"  "LS nosuch name foo"
c R013 "rename + up in one request"                   "$TT"  "LS tun0 name vpn0 up"
c R014 "rename an up device"                          "$TT; ip link set tun0 up" "LS tun0 name vpn0"
c R015 "name missing value"                           "$TT"  "LS tun0 name"
c R016 "name with %d"                                 "$TT"  "LS tun0 name 'v%d'"

# ===== flags =====
c F001 "arp off on a tap"                             "$TT"  "LS tap0 arp off"
c F002 "arp on on a tun"                              "$TT"  "LS tun0 arp on"
c F003 "multicast off"                                "$TT"  "LS tun0 multicast off"
c F004 "promisc on + allmulticast on"                 "$TT"  "LS tap0 promisc on allmulticast on"
c F005 "trailers off"                                 "$TT"  "LS tun0 trailers off"
c F006 "dynamic on"                                   "$TT"  "LS tun0 dynamic on"
c F007 "d abbreviates dynamic"                        "$TT"  "LS tun0 d on"
c F008 "multicast bad value"                          "$TT"  "LS tun0 multicast foo"
c F009 "promisc 1"                                    "$TT"  "LS tun0 promisc 1"
c F010 "arp missing value"                            "$TT"  "LS tun0 arp"
c F011 "multicast o (prefix of off) rejected"         "$TT"  "LS tun0 multicast o"
c F012 "allmulti is not allmulticast$HD"                 "$TT"  "LS tun0 allmulti on"
c F013 "carrier on without a reader"                  "$TT"  "LS tun0 carrier on"
c F014 "carrier off"                                  "$TT"  "LS tun0 carrier off"
c F015 "carrier bad value (rc = EINVAL)"              "$TT"  "LS tun0 carrier foo"
c F016 "carrier o (prefix of off)$HD"                 "$TT"  "LS tun0 carrier o"
c F017 "carrier off on an up tap with a reader"       "nodad; $TT; hold tap0 tap; ip link set tap0 up; settle" "LS tap0 carrier off"
c F018 "up with a reader (carrier)"                   "nodad; $TT; hold tap0 tap" "LS tap0 up"
c F019 "promisc twice (last wins)"                    "$TT"  "LS tap0 promisc on promisc off"

# ===== group / alias / misc keywords =====
c G001 "group 5"                                      "$TT"  "LS tun0 group 5"
c G002 "group default"                                "$TT; ip link set tun0 group 5" "LS tun0 group default"
c G003 "group unknown name"                           "$TT"  "LS tun0 group foo"
c G004 "group -1"                                     "$TT"  "LS tun0 group -1"
c G005 "group twice"                                  "$TT"  "LS tun0 group 5 group 6"
c G006 "group without device = devices of group 0"    "$TT"  "LS group 0 mtu 1400"
c G007 "alias"                                        "$TT"  "LS tun0 alias 'my vpn'"
c G008 "alias empty clears"                           "$TT; ip link set tun0 alias x" "LS tun0 alias ''"
c G009 "alias of 256 chars"                           "$TT"  "LS tun0 alias $(printf 'a%.0s' {1..256})"
c G010 "al abbreviates alias"                         "$TT"  "LS tun0 al x"
c G011 "state up"                                     "$TT"  "LS tun0 state up"
c G012 "state bad"                                    "$TT"  "LS tun0 state foo"
c G013 "mode dormant"                                 "$TT"  "LS tun0 mode dormant"
c G014 "protodown on"                                 "$TT"  "LS tun0 protodown on"
c G015 "type tun"                                     "$TT"  "LS tun0 type tun"
c G016 "addrgenmode none"                             "$TT"  "LS tun0 addrgenmode none"
c G017 "numtxqueues on an existing device"            "$TT"  "LS tun0 numtxqueues 2"
c G018 "link on set (ignored)"                        "$TT"  "LS tun0 link tap0"
c G019 "inet forwarding on$HD"                        "$TT"  "LS tun0 inet forwarding on"
c G020 "gso_max_size"                                 "$TT"  "LS tap0 gso_max_size 32000"
c G021 "index with netns (move + new ifindex)"        "$TT; othernetns" "LS tun0 netns other index 9"

# ===== addr: subcommands =====
S4="$TT; ip addr add 10.0.0.1/24 dev tun0"
S46="$TT; ip addr add 10.0.0.1/24 dev tun0; ip addr add 2001:db8::1/64 dev tun0 nodad"
c D001 "no subcommand = show"                         "$S4"  "AD"
c D002 "unknown subcommand"                           "$TT"  "AD foo"
c D003 "help$HD"                                         "$TT"  "AD help"
c D004 "a = add"                                      "$TT"  "AD a 10.0.0.1/24 dev tun0"
c D005 "d = delete"                                   "$S4"  "AD d 10.0.0.1/24 dev tun0"
c D006 "c = change"                                   "$S4"  "AD c 10.0.0.1/24 dev tun0 metric 7"
c D007 "chg = change"                                 "$S4"  "AD chg 10.0.0.1/24 dev tun0 metric 8"
c D008 "r = replace"                                  "$S4"  "AD r 10.0.0.1/24 dev tun0 metric 9"
c D009 "l = list"                                     "$S4"  "AD l dev tun0"
c D010 "s = show"                                     "$S4"  "AD s dev tun0"
c D011 "lst"                                          "$S4"  "AD lst dev tun0"
c D012 "f = flush"                                    "$S4"  "AD f dev tun0"
c D013 "addx (longer than add) unknown"               "$TT"  "AD addx 10.0.0.1/24 dev tun0"

# ===== addr add: address forms =====
c P001 "add 10.0.0.1/24"                              "$TT"  "AD add 10.0.0.1/24 dev tun0"
c P002 "add without prefix length (/32)"              "$TT"  "AD add 10.0.0.1 dev tun0"
c P003 "local keyword"                                "$TT"  "AD add local 10.0.0.1/24 dev tun0"
c P004 "two addresses$HD"                                "$TT"  "AD add 10.0.0.1/24 10.0.0.2/24 dev tun0"
c P005 "300.1.1.1/24"                                 "$TT"  "AD add 300.1.1.1/24 dev tun0"
c P006 "1.2.3.4/33"                                   "$TT"  "AD add 1.2.3.4/33 dev tun0"
c P007 "::1/129"                                      "$TT"  "AD add ::1/129 dev tun0"
c P008 "fe80::1%eth0"                                 "$TT"  "AD add fe80::1%eth0 dev tun0"
c P009 "1.2.3 = 1.2.3.0"                              "$TT"  "AD add 1.2.3 dev tun0"
c P010 "010.1.1.1 = 8.1.1.1"                          "$TT"  "AD add 010.1.1.1 dev tun0"
c P011 "prefix /0x10 = /16"                           "$TT"  "AD add 10.1.1.2/0x10 dev tun0"
c P012 "prefix /024 = /20"                            "$TT"  "AD add 10.1.1.3/024 dev tun0"
c P013 "netmask /255.255.0.0"                         "$TT"  "AD add 10.1.1.4/255.255.0.0 dev tun0"
c P014 "non-contiguous netmask"                       "$TT"  "AD add 10.1.1.5/255.0.255.0 dev tun0"
c P015 "0x0a.1.1.6 (hex octet)"                       "$TT"  "AD add 0x0a.1.1.6 dev tun0"
c P016 "empty prefix length"                          "$TT"  "AD add 10.1.1.7/ dev tun0"
c P017 "prefix /-1"                                   "$TT"  "AD add 10.1.1.8/-1 dev tun0"
c P018 "prefix /+8"                                   "$TT"  "AD add 10.1.1.9/+8 dev tun0"
c P019 "10 = 10.0.0.0"                                "$TT"  "AD add 10 dev tun0"
c P020 "five octets"                                  "$TT"  "AD add 10.1.1.1.1 dev tun0"
c P021 "empty octet"                                  "$TT"  "AD add 10..1.1 dev tun0"
c P022 "leading space"                                "$TT"  "AD add ' 10.1.1.11' dev tun0"
c P023 "default"                                      "$TT"  "AD add default dev tun0"
c P024 "all/8"                                        "$TT"  "AD add all/8 dev tun0"
c P025 "no address at all"                            "$TT"  "AD add dev tun0"
c P026 "IPv6 /64"                                     "$TT"  "AD add 2001:db8::1/64 dev tun0"
c P027 "IPv6 without prefix length (/128)"            "$TT"  "AD add 2001:db8::1 dev tun0"
c P028 "IPv6 uppercase, compressed"                   "$TT"  "AD add 2001:DB8:0:0::A/64 dev tap0"
c P029 "IPv4-mapped IPv6"                             "$TT"  "AD add ::ffff:10.0.0.1/128 dev tun0"
c P030 "/0 prefix"                                    "$TT"  "AD add 10.0.0.1/0 dev tun0"
c P031 "/32 prefix"                                   "$TT"  "AD add 10.0.0.1/32 dev tap0"
c P032 "-4 add of an IPv6 address"                    "$TT"  "AD -4 add 2001:db8::7/64 dev tun0"
c P033 "-6 add of an IPv4 address"                    "$TT"  "AD -6 add 10.0.0.5/24 dev tun0"
c P034 "add to a tap"                                 "$TT"  "AD add 192.168.7.1/24 dev tap0"
c P035 "multicast address without autojoin"           "$TT"  "AD add 224.1.1.1/32 dev tun0"

# ===== addr add: errors and dev =====
c E001 "add without dev"                              "$TT"  "AD add 10.0.0.1/24"
c E002 "add nothing"                                  "$TT"  "AD add"
c E003 "dev missing value"                            "$TT"  "AD add 10.0.0.1/24 dev"
c E004 "dev unknown"                                  "$TT"  "AD add 10.0.0.9/24 dev nosuch"
c E005 "dev twice (last wins)"                        "$TT"  "AD add 10.0.0.1/24 dev tun0 dev tap0"
c E006 "duplicate add IPv4"                           "$S4"  "AD add 10.0.0.1/24 dev tun0"
c E007 "duplicate add IPv6"                           "$S46" "AD add 2001:db8::1/64 dev tun0"
c E008 "same IPv4 with another prefix length"         "$S4"  "AD add 10.0.0.1/16 dev tun0"
c E009 "second address in the subnet = secondary"     "$S4"  "AD add 10.0.0.2/24 dev tun0"
c E010 "help inside add$HD"                              "$TT"  "AD add dev tun0 help"
c E011 "parse error before unknown dev"               "$TT"  "AD add 10.0.0.9/24 dev nosuch scope foo"
c E012 "bad address before unknown dev"               "$TT"  "AD add 300.0.0.1/24 dev nosuch"
c E013 "same address on two devices"                  "$S4"  "AD add 10.0.0.1/24 dev tap0"
c E014 "-j add (no output)"                           "$TT"  "AD -j add 10.0.0.1/24 dev tun0"
c E015 "add on an up tun with carrier: prefix route"  "nodad; $TT; ip link set tun0 addrgenmode none; hold tun0 tun; ip link set tun0 up; settle" "AD add 10.0.0.1/24 dev tun0"

# ===== addr add: peer / broadcast / anycast / label / scope =====
c K001 "peer"                                         "$TT"  "AD add 10.0.0.1 peer 10.0.0.2 dev tun0"
c K002 "peer with prefix"                             "$TT"  "AD add 10.0.1.1 peer 10.0.1.0/24 dev tun0"
c K003 "remote = peer"                                "$TT"  "AD add 10.0.0.1 remote 10.0.0.2 dev tun0"
c K004 "peer twice"                                   "$TT"  "AD add 10.0.0.1/24 dev tun0 peer 10.0.0.2 peer 10.0.0.3"
c K005 "IPv4 local, IPv6 peer"                        "$TT"  "AD add 10.0.0.5/24 peer 2001:db8::1 dev tun0"
c K006 "IPv6 peer"                                    "$TT"  "AD add 2001:db8::9/64 dev tun0 remote 2001:db8::a"
c K007 "peer on an up tun with carrier: routes"       "nodad; $TT; ip link set tun0 addrgenmode none; hold tun0 tun; ip link set tun0 up; settle" "AD add 10.0.0.1 peer 10.0.0.2/32 dev tun0"
c K008 "brd +"                                        "$TT"  "AD add 10.0.2.1/24 brd + dev tun0"
c K009 "broadcast -"                                  "$TT"  "AD add 10.0.3.1/24 broadcast - dev tun0"
c K010 "brd ADDR"                                     "$TT"  "AD add 10.0.4.1/24 brd 10.0.4.7 dev tap0"
c K011 "b abbreviates broadcast"                      "$TT"  "AD add 10.0.4.1/24 b + dev tap0"
c K012 "brd twice"                                    "$TT"  "AD add 10.0.0.1/24 dev tun0 brd + brd -"
c K013 "brd + on IPv6"                                "$TT"  "AD add 2001:db8::5/64 dev tun0 brd +"
c K014 "brd IPv4 on an IPv6 address"                  "$TT"  "AD add 2001:db8::5/64 brd 10.0.0.255 dev tun0"
c K015 "brd + on /31"                                 "$TT"  "AD add 10.0.0.20/31 brd + dev tun0"
c K016 "brd + on /30"                                 "$TT"  "AD add 10.0.0.30/30 brd + dev tun0"
c K017 "brd + with peer prefix"                       "$TT"  "AD add 10.0.0.2 peer 10.0.0.3/30 brd + dev tun0"
c K018 "brd before address (family from brd)"         "$TT"  "AD add brd 10.0.0.255 10.0.0.1/24 dev tun0"
c K019 "anycast on IPv4 (ignored by kernel)"          "$TT"  "AD add 10.0.16.1/24 dev tun0 anycast 10.0.16.2"
c K020 "anycast twice"                                "$TT"  "AD add 10.0.0.3/24 dev tun0 anycast 1.1.1.1 anycast 2.2.2.2"
c K021 "label DEV:x"                                  "$TT"  "AD add 10.0.4.1/24 dev tun0 label tun0:x"
c K022 "label not starting with the device name"      "$TT"  "AD add 10.0.5.1/24 dev tun0 label foo"
c K023 "label of 16+ chars"                           "$TT"  "AD add 10.0.6.1/24 dev tun0 label tun0:abcdefghijklmnop"
c K024 "label on IPv6 (ignored)"                      "$TT"  "AD add 2001:db8::3/64 dev tun0 label tun0:v6"
c K025 "scope link"                                   "$TT"  "AD add 10.0.11.1/24 dev tun0 scope link"
c K026 "scope host"                                   "$TT"  "AD add 10.0.12.1/24 dev tun0 scope host"
c K027 "scope 200 (site)"                             "$TT"  "AD add 10.0.13.1/24 dev tun0 scope 200"
c K028 "scope 77 (no name)"                           "$TT"  "AD add 10.0.14.1/24 dev tun0 scope 77"
c K029 "scope foo"                                    "$TT"  "AD add 10.0.15.1/24 dev tun0 scope foo"
c K030 "scope 300"                                    "$TT"  "AD add 10.0.15.1/24 dev tun0 scope 300"
c K031 "127.x gets scope host by default"             "$TT"  "AD add 127.0.0.5/8 dev tun0"
c K032 "127.x with explicit scope global"             "$TT"  "AD add 127.0.0.6/8 dev tun0 scope global"
c K033 "scope global spelled out on IPv6"             "$TT"  "AD add 2001:db8::4/64 dev tun0 scope global"
c K034 "scope link on IPv6 global address"            "$TT"  "AD add 2001:db8::5/64 dev tun0 scope link"
c K035 "sco is not scope$HD"                             "$TT"  "AD add 10.0.0.1/24 dev tun0 sco link"

# ===== addr add: lifetimes, metric, flags, proto =====
c T001 "valid_lft/preferred_lft finite"               "$TT"  "AD add 10.0.7.1/24 dev tun0 valid_lft 100 preferred_lft 50"
c T002 "preferred > valid"                            "$TT"  "AD add 10.0.8.1/24 dev tun0 valid_lft 50 preferred_lft 100"
c T003 "valid_lft 0"                                  "$TT"  "AD add 10.0.9.1/24 dev tun0 valid_lft 0"
c T004 "preferred_lft 0 = deprecated"                 "$TT"  "AD add 10.0.10.1/24 dev tun0 preferred_lft 0"
c T005 "forever forever"                              "$TT"  "AD add 10.0.7.1/24 dev tun0 valid_lft forever preferred_lft forever"
c T006 "valid_lft twice: names the keyword"           "$TT"  "AD add 10.0.0.1/24 dev tun0 valid_lft 10 valid_lft 20"
c T007 "valid (abbrev) twice"                         "$TT"  "AD add 10.0.0.1/24 dev tun0 valid 10 valid 20"
c T008 "pref = preference = metric"                   "$TT"  "AD add 10.0.0.1/24 dev tun0 pref 10"
c T009 "preferred (abbrev) = preferred_lft"           "$TT"  "AD add 10.0.0.1/24 dev tun0 valid_lft 100 preferred 10 | cat; AD show dev tun0 | sed -E 's/[0-9]+sec/Nsec/g'"
c T010 "valid_lft foo"                                "$TT"  "AD add 10.0.0.1/24 dev tun0 valid_lft foo"
c T011 "valid_lft -1"                                 "$TT"  "AD add 10.0.0.1/24 dev tun0 valid_lft -1"
c T012 "valid_lft 4294967295 = forever"               "$TT"  "AD add 10.0.0.1/24 dev tun0 valid_lft 4294967295"
c T013 "valid_lft only (preferred forever > valid)"   "$TT"  "AD add 10.0.0.1/24 dev tun0 valid_lft 100"
c T014 "finite lifetimes on IPv6"                     "$TT"  "AD add 2001:db8::1/64 dev tun0 nodad valid_lft 200 preferred_lft 100"
c T015 "metric 55"                                    "$TT"  "AD add 10.0.17.1/24 dev tun0 metric 55"
c T016 "priority = metric"                            "$TT"  "AD add 10.0.17.1/24 dev tun0 priority 56"
c T017 "metric x"                                     "$TT"  "AD add 10.0.0.1/24 dev tun0 metric x"
c T018 "metric -1 (wraps?)"                           "$TT"  "AD add 10.0.0.1/24 dev tun0 metric -1"
c T019 "nodad on IPv4 (warning)"                      "$TT"  "AD add 10.2.0.1/24 dev tun0 nodad"
c T020 "nodad on IPv6"                                "$TT"  "AD add 2001:db8::2/64 dev tun0 nodad"
c T021 "nodad before the address (family unknown)"    "$TT"  "AD add nodad 2001:db8::8/64 dev tun0"
c T022 "-6 nodad before the address"                  "$TT"  "AD -6 add nodad 2001:db8::8/64 dev tun0"
c T023 "secondary (read-only flag)"                   "$TT"  "AD add 10.2.0.2/24 dev tun0 secondary"
c T024 "noprefixroute IPv4 on an up tun with carrier" "nodad; $TT; ip link set tun0 addrgenmode none; hold tun0 tun; ip link set tun0 up; settle" "AD add 10.2.0.3/24 dev tun0 noprefixroute"
c T025 "noprefixroute IPv6"                           "$TT"  "AD add 2001:db8::3/64 dev tun0 noprefixroute"
c T026 "home"                                         "$TT"  "AD add 2001:db8::4/64 dev tun0 home"
c T027 "mngtmpaddr on /64"                            "$TT"  "AD add 2001:db8::5/64 dev tun0 mngtmpaddr"
c T028 "mngtmpaddr not /64"                           "$TT"  "AD add 2001:db8::3 dev tun0 mngtmpaddr"
c T029 "optimistic"                                   "$TT"  "AD add 2001:db8::6/64 dev tun0 optimistic"
c T030 "autojoin on unicast"                          "$TT"  "AD add 10.2.0.4/24 dev tun0 autojoin"
c T031 "autojoin on multicast IPv4"                   "$TT"  "AD add 224.1.1.1/32 dev tun0 autojoin"
c T032 "proto 5$HD"                                   "$TT"  "AD add 10.0.0.2/24 dev tun0 proto 5"
c T033 "permanent (read-only flag)"                   "$TT"  "AD add 2001:db8::7/64 dev tun0 permanent"
c T034 "tentative (read-only flag)"                   "$TT"  "AD add 2001:db8::7/64 dev tun0 tentative"

# ===== addr del =====
c X001 "del existing"                                 "$S4"  "AD del 10.0.0.1/24 dev tun0"
c X002 "del absent IPv4"                              "$S4"  "AD del 10.9.9.9/24 dev tun0"
c X003 "del absent IPv6"                              "$S46" "AD del 2001:db8::9/64 dev tun0"
c X004 "del IPv4 without prefix length (wildcard)"    "$S4"  "AD del 10.0.0.1 dev tun0"
c X005 "del IPv4 without prefix, absent"              "$S4"  "AD del 10.9.9.9 dev tun0"
c X006 "del IPv6 without prefix length"               "$S46" "AD del 2001:db8::1 dev tun0"
c X007 "del IPv6 with its prefix length"              "$S46" "AD del 2001:db8::1/64 dev tun0"
c X008 "del with the wrong prefix length"             "$S4"  "AD del 10.0.0.1/16 dev tun0"
c X009 "del with a non-matching label"                "$S4"  "AD del 10.0.0.1/24 dev tun0 label foo"
c X010 "del with the matching label"                  "$S4"  "AD del 10.0.0.1/24 dev tun0 label tun0"
c X011 "del with a non-matching peer"                 "$S4"  "AD del 10.0.0.1/24 peer 10.0.0.5 dev tun0"
c X012 "del without dev"                              "$S4"  "AD del 10.0.0.1/24"
c X013 "del without address"                          "$S4"  "AD del dev tun0"
c X014 "-4 del without address = first IPv4 address"  "$S4; ip addr add 10.1.0.1/24 dev tun0" "AD -4 del dev tun0"
c X015 "del primary also deletes secondaries"         "$S4; ip addr add 10.0.0.2/24 dev tun0; ip addr add 10.0.0.3/24 dev tun0" "AD del 10.0.0.1/24 dev tun0"
c X016 "del primary with promote_secondaries"         "$S4; ip addr add 10.0.0.2/24 dev tun0; sysctl -qw net.ipv4.conf.tun0.promote_secondaries=1" "AD del 10.0.0.1/24 dev tun0"
c X017 "del with brd + (ignored)"                     "$S4"  "AD del 10.0.0.1/24 dev tun0 brd +"
c X018 "del of a peer address by local/32"            "$TT; ip addr add 10.0.0.1 peer 10.0.0.2 dev tun0" "AD del 10.0.0.1/32 dev tun0"
c X019 "del of a peer address with peer"              "$TT; ip addr add 10.0.0.1 peer 10.0.0.2 dev tun0" "AD del 10.0.0.1 peer 10.0.0.2 dev tun0"
c X020 "del on a missing device"                      "$S4"  "AD del 10.0.0.1/24 dev nosuch"

# ===== addr change / replace =====
c C001 "change lifetimes"                             "$S4"  "AD change 10.0.0.1/24 dev tun0 valid_lft 100 preferred_lft 100"
c C002 "change of an absent IPv4 address creates it"  "$S4"  "AD change 10.0.0.9/24 dev tun0"
c C003 "change of an absent IPv6 address"             "$S46" "AD change 2001:db8::9/64 dev tun0"
c C004 "replace resets lifetimes and metric"          "$S4; ip addr change 10.0.0.1/24 dev tun0 valid_lft 100 preferred_lft 100 metric 5" "AD replace 10.0.0.1/24 dev tun0 brd +"
c C005 "replace of an absent address creates it"      "$S4"  "AD replace 10.0.0.2/24 dev tun0"
c C006 "change the prefix length"                     "$S4"  "AD change 10.0.0.1/16 dev tun0"
c C007 "replace IPv6 with noprefixroute"              "$S46" "AD replace 2001:db8::1/64 dev tun0 noprefixroute"
c C008 "change label"                                 "$S4"  "AD change 10.0.0.1/24 dev tun0 label tun0:y"

# ===== addr flush =====
SF="$TT; ip addr add 10.0.0.1/24 dev tun0; ip addr add 10.0.0.2/24 dev tun0; ip addr add 10.1.0.1/24 dev tun0 label tun0:z; ip addr add 2001:db8::1/64 dev tun0 nodad; ip addr add 192.168.7.1/24 dev tap0"
c Z001 "flush without arguments"                      "$SF"  "AD flush"
c Z002 "flush dev missing"                            "$SF"  "AD flush dev nosuch"
c Z003 "flush bare missing name"                      "$SF"  "AD flush nosuch"
c Z004 "flush dev tun0"                               "$SF"  "AD flush dev tun0"
c Z005 "flush bare name"                              "$SF"  "AD flush tun0"
c Z006 "-s flush"                                     "$SF"  "AD -s flush dev tun0"
c Z007 "-s flush with nothing to flush"               "$TT"  "AD -s flush dev tap0"
c Z008 "-s -s flush secondary"                        "$SF"  "AD -s -s flush dev tun0 secondary"
c Z009 "-6 flush"                                     "$SF"  "AD -6 flush dev tun0"
c Z010 "-4 flush"                                     "$SF"  "AD -4 flush dev tun0"
c Z011 "flush to PREFIX (all devices)"                "$SF"  "AD flush to 10.0.0.0/8"
c Z012 "-0 flush"                                     "$SF"  "AD -0 flush dev tun0"
c Z013 "flush scope foo"                              "$SF"  "AD flush scope foo"
c Z014 "flush label pattern"                          "$SF"  "AD flush label 'tun0:*'"
c Z015 "flush dev twice$HD"                              "$SF"  "AD flush dev tun0 dev tap0"
c Z016 "flush scope global dev"                       "$SF"  "AD flush dev tun0 scope global"
c Z017 "-j flush"                                     "$SF"  "AD -j flush dev tun0"

# ===== addr show =====
SH="$TT; ip addr add 10.0.0.1/24 dev tun0; ip addr add 10.0.0.2/24 brd + dev tun0 label tun0:1; ip addr add 10.9.0.1 peer 10.9.0.2 dev tun0; ip addr add 2001:db8::1/64 dev tun0; ip addr add 2001:db8::2/64 dev tun0 nodad noprefixroute; ip addr add 192.168.7.1/24 dev tap0 metric 20; ip addr add fd00::1/64 dev tap0 nodad"
c S001 "show dev tun0, no addresses"                  "$TT"  "AD show dev tun0"
c S002 "show dev tap0, no addresses"                  "$TT"  "AD show dev tap0"
c S003 "show (all links, lo included)"                "$TT"  "AD show"
c S004 "show dev tun0 with addresses"                 "$SH"  "AD show dev tun0"
c S005 "show dev tap0 with addresses"                 "$SH"  "AD show dev tap0"
c S006 "show all with addresses"                      "$SH"  "AD show"
c S007 "-j show dev tun0"                             "$SH"  "AD -j show dev tun0"
c S008 "-j -p show dev tun0"                          "$SH"  "AD -j -p show dev tun0"
c S009 "-j show all"                                  "$SH"  "AD -j show"
c S010 "-j -p show dev tap0"                          "$SH"  "AD -j -p show dev tap0"
c S011 "-j -p show, no addresses"                     "$TT"  "AD -j -p show dev tun0"
c S012 "-4 show (dump)"                               "$SH"  "AD -4 show"
c S013 "-6 show (dump: IPv6 link info)"               "$SH"  "AD -6 show"
c S014 "-4 show dev"                                  "$SH"  "AD -4 show dev tap0"
c S015 "-6 show dev (full link info)"                 "$SH"  "AD -6 show dev tun0"
c S016 "-6 show dev without IPv6 addresses"           "$TT"  "AD -6 show dev tun0"
c S017 "-6 -j show dev without IPv6 addresses"        "$TT"  "AD -6 -j show dev tun0"
c S018 "-4 -j show (dump)"                            "$SH"  "AD -4 -j show"
c S019 "-6 -j show (dump)"                            "$SH"  "AD -6 -j show"
c S020 "-0 show dev"                                  "$SH"  "AD -0 show dev tap0"
c S021 "-0 -j show dev"                               "$SH"  "AD -0 -j show dev tap0"
c S022 "show bare name"                               "$SH"  "AD show tun0"
c S023 "show two names$HD"                               "$SH"  "AD show tun0 tap0"
c S024 "show dev missing"                             "$SH"  "AD show dev nosuch"
c S025 "-j show dev missing"                          "$SH"  "AD -j show dev nosuch"
c S026 "show up (none up)"                            "$SH"  "AD show up"
c S027 "show up"                                      "$SH; ip link set tap0 up" "AD show up"
c S028 "show down$HD"                                 "$SH; ip link set tap0 up" "AD show down"
c S029 "show label pattern"                           "$SH"  "AD show label 'tun0:*'"
c S030 "show scope link"                              "$SH"  "AD show scope link"
c S031 "show to PREFIX"                               "$SH"  "AD show to 10.0.0.0/8"
c S032 "show secondary"                               "$SH"  "AD show secondary"
c S033 "show primary dev tun0"                        "$SH"  "AD show primary dev tun0"
c S034 "show permanent"                               "$SH"  "AD show dev tun0 permanent"
c S035 "show tentative"                               "$SH"  "AD show tentative"
c S036 "show -tentative"                              "$SH"  "AD show dev tun0 -tentative"
c S037 "show master br0"                              "$BR; ip link set tap0 master br0" "AD show master br0"
c S038 "master printed (plain and -j)"                "$BR; ip link set tap0 master br0" "AD show dev tap0 && AD -j show dev tap0"
c S039 "show group (non-default group, qlen 0)"       "$TT; ip link set tun0 group 7 txqlen 0" "AD show dev tun0 && AD -j show dev tun0"
c S040 "show group filter"                            "$TT; ip link set tun0 group 7" "AD show group 7"
c S041 "show type tun"                                "$BR" "AD show type tun"
c S042 "-o show"                                      "$SH"  "AD -o show"
c S043 "-br show"                                     "$SH"  "AD -br show"
c S044 "-br -j show"                                  "$SH"  "AD -br -j show"
c S045 "-d show dev (details)$HD"                        "$TT; ip link set tun0 alias hi" "AD -d show dev tun0"
c S046 "-s show dev (statistics)"                     "$TT"  "AD -s show dev tun0"
c S047 "show flags of an up tun without carrier"      "$TT; ip link set tun0 up promisc on allmulticast on mtu 1400" "AD show dev tun0 && AD -j show dev tun0"
c S048 "link-local on an up tap with carrier$HD"         "nodad; $TT; hold tap0 tap; ip link set tap0 up; settle" "AD show dev tap0 && AD -j -p show dev tap0"
c S049 "up tun with carrier, addrgenmode none"        "nodad; $TT; ip link set tun0 addrgenmode none; hold tun0 tun; ip link set tun0 up; ip addr add 10.0.0.1 peer 10.0.0.2 dev tun0; settle" "AD show dev tun0 && AD -j show dev tun0"
c S050 "tap with changed broadcast MAC"               "$TT; ip link set tap0 broadcast 02:00:00:00:00:ff" "AD show dev tap0 && AD -j show dev tap0"
c S051 "finite lifetimes (sed-normalised)"            "$TT; ip addr add 10.0.7.1/24 dev tun0 valid_lft 100 preferred_lft 50; ip addr add 10.0.8.1/24 dev tun0 preferred_lft 0" "AD show dev tun0 | sed -E 's/[0-9]+sec/Nsec/g'; AD -j show dev tun0 | sed -E 's/(life_time\":)[0-9]{1,3}([,}])/\\1N\\2/g'"
c S052 "scope names and numbers, metric, label"       "$TT; ip addr add 10.0.12.1/24 dev tun0 scope host; ip addr add 10.0.11.1/24 dev tun0 scope link; ip addr add 10.0.13.1/24 dev tun0 scope 200; ip addr add 10.0.14.1/24 dev tun0 scope 77; ip addr add 127.0.0.5/8 dev tun0; ip addr add 10.0.5.1/24 dev tun0 label foo metric 3" "AD show dev tun0 && AD -j -p show dev tun0"
c S053 "IPv6 flags: tentative, home, optimistic, mngtmpaddr" "$TT; ip addr add 2001:db8::4/64 dev tun0 home; ip addr add 2001:db8::5/64 dev tun0 mngtmpaddr; ip addr add 2001:db8::6/64 dev tun0 optimistic" "AD show dev tun0 && AD -j show dev tun0"
c S054 "IPv4 flags: secondary, noprefixroute, autojoin, deprecated" "$TT; ip addr add 10.2.0.1/24 dev tun0; ip addr add 10.2.0.3/24 dev tun0 noprefixroute; ip addr add 224.1.1.1/32 dev tun0 autojoin; ip addr add 10.3.0.1/24 dev tun0 preferred_lft 0" "AD show dev tun0 && AD -j show dev tun0"
c S055 "-n other show"                                "othernetns; ip -n other tuntap add tun5 mode tun; ip -n other addr add 10.5.0.1/24 dev tun5" "AD -n other show && AD -n other -j show dev tun5"
c S056 "show list of all devices incl. a bridge"      "$BR; ip addr add 10.0.0.1/24 dev br0" "AD show"
c S057 "show dev twice via dev keyword$HD"               "$SH"  "AD show dev tun0 dev tap0"
c S058 "show help$HD"                                    "$SH"  "AD show help"
c S059 "-j -p show all"                               "$SH"  "AD -j -p show"
c S060 "show a renamed device with label"             "$TT; ip addr add 10.0.0.1/24 dev tun0; ip link set tun0 name vpn0" "AD show dev vpn0"
c S061 "show moved device gone"                       "$TT; othernetns; ip link set tun0 netns other" "AD show dev tun0"
c S062 "show with ifN name"                           "$SH"  "AD show dev if2"
c S063 "-4 show dev without IPv4 addresses"           "$TT"  "AD -4 show dev tun0"
c S064 "-4 -j show (dump) with no IPv4 addresses"     "$TT"  "AD -4 -j show"
c S065 "show proto filter$HD"                         "$SH"  "AD show proto 5"
c S066 "-4 -j -p show with nothing to show"           "$TT"  "AD -4 -j -p show"
c S067 "-j show all, no addresses anywhere"           "$TT"  "AD -j show"
c S068 "show after set: alias/mtu/txqlen not in addr show" "$TT; ip link set tun0 alias hi mtu 1280 txqlen 10 arp on" "AD show dev tun0 && AD -j show dev tun0"

# ---------------- run ----------------
n=0
for i in "${!IDS[@]}"; do
	# shellcheck disable=SC2053
	[[ ${IDS[$i]} == $PATTERN ]] || continue
	n=$((n + 1))
	unshare --net --mount --pid --fork --mount-proc --propagation private \
		bash "$SELF" --inner "${IDS[$i]}" "${DESCS[$i]}" "${SETUPS[$i]}" "${CMDS[$i]}"
done
echo "# $n cases"
