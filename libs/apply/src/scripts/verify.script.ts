import { COMMON_SNIPPET } from './common.snippet';
import { LIVE_STATE_SNIPPET } from './live-state.snippet';

/**
 * Verification in one round trip: the same live-state sections as facts plus one gateway ping.
 * stdin: `gateway <ipv4>` or nothing. On a simulated host (HOSTNET_ROOT set) the ping runs only when
 * the host provides its own `ping` stand-in under HOSTNET_ROOT, so tests never reach a real address.
 */
export const VERIFY_SCRIPT =
  'set -eu\n' +
  COMMON_SNIPPET +
  LIVE_STATE_SNIPPET +
  String.raw`
gw=''
if IFS=' ' read -r k v; then
  if [ "$k" = gateway ]; then gw=$v; fi
fi
case $gw in *[!0-9.]*) gw='' ;; esac
printf '@@hostnet:verify 1\n'
print_live
sec ping
if [ -z "$gw" ]; then
  echo 'skipped no-gateway'
else
  pingbin=$(command -v ping 2>/dev/null || true)
  if [ -n "$R" ]; then
    case $pingbin in "$R"/*) ;; *) pingbin='' ;; esac
  fi
  if [ -z "$pingbin" ]; then
    echo 'skipped no-ping'
  elif "$pingbin" -c1 -W1 "$gw" > /dev/null 2>&1; then
    echo 'ok'
  else
    echo 'failed'
  fi
fi
sec end
`;
