import { COMMON_SNIPPET } from './common.snippet';
import { LIVE_STATE_SNIPPET } from './live-state.snippet';
import { RECOVER_SNIPPET } from './recover.snippet';

/** Files the renderers may own, hashed (and shipped back when small) on every facts round trip. */
export const FACT_GLOBS = [
  '/etc/sysconfig/network-scripts/ifcfg-*',
  '/etc/sysconfig/network-scripts/route-*',
  '/etc/network/interfaces',
  '/etc/network/interfaces.d/*',
  '/etc/netplan/*.yaml',
  '/etc/NetworkManager/system-connections/*',
  '/sbin/ifup-localovs',
  '/var/lib/hostnet/expected-state.json',
];

/** Largest file whose content the facts script ships back for the diff. */
export const FACT_CONTENT_LIMIT = 65536;

/**
 * Facts in one round trip, after ending any run that can no longer end by itself (recover.snippet.ts). stdin: extra absolute paths, one per line (invalid ones are ignored).
 * stdout: `@@hostnet:<section>` delimited sections (see facts.parser.ts).
 */
export const FACTS_SCRIPT =
  'set -eu\n' +
  COMMON_SNIPPET + LIVE_STATE_SNIPPET + RECOVER_SNIPPET + String.raw`
candidates() {
  (
    cd "$R/"
    for f in GLOBS; do
      if [ -f "$f" ]; then printf '/%s\n' "$f"; fi
    done
  )
  while IFS= read -r p; do
    if valid_path "$p"; then printf '%s\n' "$p"; fi
  done
}

recover_stale_run contact
printf '@@hostnet:facts 1\n'
sec os-release
if [ -f "$R/etc/os-release" ]; then cat "$R/etc/os-release"; fi
sec tools
for t in ip ovs-vsctl ovs-appctl ifup ifreload netplan nmcli systemctl service setsid systemd-run timeout sha256sum base64 ping; do
  p=$(command -v "$t" 2>/dev/null || true)
  if [ -n "$p" ]; then printf '%s %s\n' "$t" "$p"; fi
done
sec flags
printf 'now %s\n' "$(date +%s)"
if [ -d "$R/etc/sysconfig/network-scripts" ]; then echo 'network-scripts-dir 1'; fi
if has ifreload || [ -d "$R/usr/share/ifupdown2" ]; then echo 'ifupdown2 1'; fi
if [ -z "$R" ] && [ "$(cat /proc/1/comm 2>/dev/null || true)" = systemd ]; then echo 'systemd-pid1 1'; fi
for f in "$R"/usr/lib64/NetworkManager/*/libnm-device-plugin-ovs.so "$R"/usr/lib/*/NetworkManager/*/libnm-device-plugin-ovs.so; do
  if [ -f "$f" ]; then echo 'nm-ovs-plugin 1'; break; fi
done
sec files
TMPF=$(mktemp)
candidates | sort -u > "$TMPF"
while IFS= read -r p; do
  if [ -f "$R$p" ]; then
    printf '%s %s %s %s\n' "$(sha256sum < "$R$p" | cut -d' ' -f1)" "$(wc -c < "$R$p" | tr -d ' ')" \
      "$(stat -c %a "$R$p")" "$p"
  fi
done < "$TMPF"
while IFS= read -r p; do
  if [ -f "$R$p" ] && [ "$(wc -c < "$R$p")" -le LIMIT ]; then
    sec "content $p"
    base64 < "$R$p"
  fi
done < "$TMPF"
rm -f "$TMPF"
print_live
sec end
`
    .replace('GLOBS', () => FACT_GLOBS.map((glob) => glob.slice(1)).join(' '))
    .replace('LIMIT', () => String(FACT_CONTENT_LIMIT));
