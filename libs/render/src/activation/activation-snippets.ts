/**
 * The shell snippets activation steps run as `sh -c SNIPPET sh NAME…`, where sh's own argv has only
 * interface names (validated by the renderers). Their texts have this one home so that whatever answers
 * them without a shell (the simulator's lean host model) can recognise each by its exact text.
 */
export const ACTIVATION_SNIPPETS = {
  /** ifupdown: ifup, after dropping the IPv4 addresses the interface holds (ifup fails on "already assigned"). */
  flushThenIfup: 'ip -4 addr flush dev "$1" 2>/dev/null || true; exec ifup "$1"',
  /** network-scripts: ifup, after dropping the IPv4 routes and addresses (ifup-eth only ever adds them). */
  flushRoutesThenIfup: 'ip -4 route flush dev "$1" 2>/dev/null; ip -4 addr flush dev "$1" 2>/dev/null; exec ifup "$1"',
  /** network-scripts: the IPv4 routes and addresses of an interface that is not brought up again. */
  flushRoutes: 'ip -4 route flush dev "$1" 2>/dev/null; ip -4 addr flush dev "$1" 2>/dev/null; true',
  ifdown: 'ifdown "$1" || true',
  ifdownForce: 'ifdown --force "$1" || true',
  ifdownFlush: 'ifdown "$1" || true; ip -4 addr flush dev "$1" 2>/dev/null || true',
  ifdownForceFlush: 'ifdown --force "$1" || true; ip -4 addr flush dev "$1" 2>/dev/null || true',
  /**
   * NetworkManager: `nmcli connection up` of bridge $1's profile (uuid $2), then the devices $3… that were its ports
   * (VM taps) put back under it: re-activating a bridge whose profile does not take its ports along
   * (autoconnect-slaves) detaches them for good. A device gone meanwhile or under a master again is left alone.
   */
  nmUpKeepingPorts: 'b=$1 u=$2; shift 2; nmcli connection up uuid "$u" || exit; for p; do [ -e "/sys/class/net/$p" ] && [ ! -e "/sys/class/net/$p/master" ] || continue; ip link set "$p" master "$b" || exit; done',
  /** ifupdown forgets interfaces it has no stanza for (`-i /dev/null`) without running anything. */
  forget: 'for i; do ifdown --force -i /dev/null "$i" >/dev/null 2>&1; done; true',
} as const;

/** `sh -c SNIPPET sh ARGS…`, the argv of an activation step that runs one of ACTIVATION_SNIPPETS. */
export const snippetArgv = (snippet: string, args: string[]): string[] => ['sh', '-c', snippet, 'sh', ...args];
