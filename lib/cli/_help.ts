/**
 * Help texts: iproute2's usage of `ip tuntap` (byte for byte, as scripts may
 * see it), and this CLI's own `--help`.
 *
 * @module
 */

/** The package version, printed by `--version`. */
export const VERSION = "0.1.0";

/** `ip tuntap help`, on stderr with exit status 255. */
export const IP_USAGE = `Usage: ip tuntap { add | del | show | list | lst | help } [ dev PHYS_DEV ]
       [ mode { tun | tap } ] [ user USER ] [ group GROUP ]
       [ one_queue ] [ pi ] [ vnet_hdr ] [ multi_queue ] [ name NAME ]

Where: USER  := { STRING | NUMBER }
       GROUP := { STRING | NUMBER }
`;

/** `tuntap --help`, on stdout with exit status 0. */
export const HELP = `Usage: tuntap [ OPTIONS ] { add | del | show | list | lst | help } [ ARGS ]
       tuntap [ OPTIONS ] { set | addr | info } [ ARGS ]
       tuntap [ -force ] -batch FILE|-

Create, delete, list and configure persistent TUN/TAP devices. The commands
of "ip tuntap" keep its command lines, output and exit codes, so scripts
written for iproute2 work unchanged.

Commands:
  add [ dev | name ] NAME mode { tun | tap } [ user USER ] [ group GROUP ]
      [ pi ] [ vnet_hdr ] [ multi_queue ] [ one_queue ]
                         create a persistent device; NAME may hold one %d
  del [ dev | name ] NAME [ NAME ... ] [ mode { tun | tap } [ multi_queue ] ]
                         delete devices; without mode, whatever their mode.
                         Several names go in one kernel batch: names of no
                         device are skipped; if one names a link that is not
                         a TUN/TAP device of the mode, none is deleted; a
                         device in use fails alone, the others go
  show [ dev NAME ] [ mode { tun | tap } ]
                         list devices (also: list, lst)
  set { dev NAME | NAME } [ up | down ] [ mtu MTU ] [ txqueuelen N ]
      [ address LLADDR ] [ master DEVICE | nomaster ] [ netns NS ] [ name NEW ]
                         change link settings, as "ip link set"
  addr { add | replace | del } ADDRESS[/LEN] [ peer PEER[/LEN] ] dev NAME
  addr flush dev NAME    addr show [ dev NAME ]
                         IPv4 and IPv6 addresses, as "ip addr" (-4, -6: one family)
  info [ [ dev ] NAME ] [ mode { tun | tap } ]
                         everything about devices: flags, owner, queues, link
                         state, MAC, master, addresses, namespace, holders

Options:
  -j, -json              JSON output; -p, -pretty indents it
  -d, -details           list the processes holding each device open
  -o, -oneline           keep -d output on one line per device
  -c[=always|auto|never] colour device names
  -n, -netns NAME        operate in network namespace NAME (/run/netns/NAME)
  -b, -batch FILE|-      run the commands of FILE (or stdin), one per line
  -force                 with -batch, go on after a failed command
  -h, --help             print this help
  -V, --version          print the version

USER and GROUP are a name or a number; -1 means none.
Exit status: 0 success, 1 the kernel refused, 255 a command-line error.

Examples:
  tuntap add dev tap0 mode tap user 1000 vnet_hdr
  tuntap addr add 10.1.0.1/24 dev tun0 && tuntap set dev tun0 up
  tuntap set dev tap0 master br0 up
  tuntap -j -p info tun0
  tuntap del tap0
`;
