import { COMMON_SNIPPET } from './common.snippet';
import { LIVE_STATE_SNIPPET } from './live-state.snippet';
import { RECOVER_SNIPPET } from './recover.snippet';

/** Files the renderers may own, hashed (and shipped back when small) on every facts round trip. */
export const FACT_GLOBS = [
  '/etc/sysconfig/network-scripts/ifcfg-*',
  '/etc/sysconfig/network-scripts/route-*',
  '/etc/network/interfaces',
  '/etc/network/interfaces.d/*',
  // netplan merges /lib, /etc and /run (a file of the same name in /run shadows /etc's, /etc's shadows /lib's),
  // NetworkManager reads /run's profiles beside /etc's: another owner's config for a NIC may be in any of them
  '/lib/netplan/*.yaml',
  '/etc/netplan/*.yaml',
  '/run/netplan/*.yaml',
  '/etc/NetworkManager/system-connections/*',
  '/run/NetworkManager/system-connections/*',
  '/sbin/ifup-localovs',
  '/var/lib/hostnet/expected-state.json',
];

/** Spliced into the script unquoted: an absolute path of plain characters, at most one `*`, in its last part. */
const SAFE_GLOB = /^(\/[A-Za-z0-9._-]+)*\/[A-Za-z0-9._-]*\*?[A-Za-z0-9._-]*$/;
for (const glob of FACT_GLOBS) if (!SAFE_GLOB.test(glob)) throw new Error(`FACT_GLOBS: ${JSON.stringify(glob)} is not a plain absolute path with at most one * in its last part`);

/** Largest file whose content the facts script ships back for the diff. */
export const FACT_CONTENT_LIMIT = 65536;

/**
 * Facts in one round trip, after ending any run that can no longer end by itself (recover.snippet.ts). stdin: extra absolute paths, one per line (invalid ones are ignored).
 * stdout: `@@hostnet:<section>` delimited sections (see facts.parser.ts).
 */
export const FACTS_SCRIPT =
  'set -eu\n' +
  COMMON_SNIPPET + LIVE_STATE_SNIPPET + RECOVER_SNIPPET + String.raw`
# odd_file PATH: a file whose name valid_path refuses (a newline, a tab, a trailing space) would not
# survive the line-based lists below; its name travels hex-encoded and whole, so the controller can
# refuse it, naming it, when it configures an interface hostnet manages (foreign-configs.ts).
odd_file() {
  h=$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')
  size=$(wc -c < "$R$1" | tr -d ' ')
  printf '%s %s %s hex:%s\n' "$(sha256sum < "$R$1" | cut -d' ' -f1)" "$size" "$(stat -L -c %a "$R$1")" "$h" >> "$ODD"
  if [ "$size" -le LIMIT ]; then
    printf '\n@@hostnet:content hex:%s\n' "$h" >> "$ODD.content"
    base64 < "$R$1" >> "$ODD.content"
  fi
}

# fact_path PATH: valid_path's rule, also for the directories facts only read (a run writes nothing there):
# a name there must be one that rule takes in the /etc directory of the same role (factPathProblem).
fact_path() {
  case $1 in
    /run/netplan/*|/run/NetworkManager/system-connections/*) after_text "$1" /run/; valid_path "/etc/$REPLY" ;;
    /lib/netplan/*) after_text "$1" /lib/; valid_path "/etc/$REPLY" ;;
    *) valid_path "$1" ;;
  esac
}

candidates() {
  (
    cd "$R/"
    for f in GLOBS; do
      if [ -f "$f" ]; then
        if fact_path "/$f"; then printf '/%s\n' "$f"; else odd_file "/$f"; fi
      fi
    done
  )
  while IFS= read -r p; do
    if valid_path "$p"; then printf '%s\n' "$p"; fi
  done
}

recover_stale_run contact
printf '@@hostnet:facts 1\n'
sec os-release
if [ -f "$R/etc/os-release" ]; then print_file "$R/etc/os-release"; fi
sec tools
# command -v twice rather than in $(…): builtins, no process per tool
for t in ip ovs-vsctl ovs-appctl ifup ifreload netplan nmcli systemctl service setsid systemd-run timeout sha256sum base64 ping; do
  if command -v "$t" >/dev/null 2>&1; then printf '%s ' "$t"; command -v "$t"; fi
done
sec flags
now_ms
printf 'now %s\n' "$(( NOW_MS / 1000 ))"
# A pending run's time left as its timer measures it (deadline_left), in whole seconds rounded up: its deadline less
# now is off by any clock step since it was armed, and the controller waits on it (pending-run.resolver.ts).
state_value phase
case $REPLY in
  armed|rolling-back)
    state_value runId
    if valid_word "$REPLY"; then RUN="$S/backups/$REPLY"; deadline_left; printf 'deadline-left %s\n' "$(( (REPLY + 99) / 100 ))"; fi
    ;;
esac
if [ -d "$R/etc/sysconfig/network-scripts" ]; then echo 'network-scripts-dir 1'; fi
if has ifreload || [ -d "$R/usr/share/ifupdown2" ]; then echo 'ifupdown2 1'; fi
PID1=''
if [ -z "$R" ]; then read -r PID1 2>/dev/null < /proc/1/comm || true; fi
if [ "$PID1" = systemd ]; then echo 'systemd-pid1 1'; fi
for f in "$R"/usr/lib64/NetworkManager/*/libnm-device-plugin-ovs.so "$R"/usr/lib/*/NetworkManager/*/libnm-device-plugin-ovs.so; do
  if [ -f "$f" ]; then echo 'nm-ovs-plugin 1'; break; fi
done
sec files
# One private directory for every list below, removed whole at the end: one mktemp and one rm.
FT=$(mktemp -d)
TMPF="$FT/paths"
ODD="$FT/odd"
: > "$ODD"
: > "$ODD.content"
candidates | sort -u > "$TMPF"
# one_file PATH: its 'sha256 size mode path' line, two processes (the fallback of the batch below).
one_file() {
  hash=$(sha256sum < "$R$1" 2>/dev/null || true)
  meta=$(stat -L -c '%s %a' "$R$1" 2>/dev/null || true)
  [ -n "$hash" ] && [ -n "$meta" ] || return 0 # gone since the listing
  before_space "$hash"
  printf '%s %s %s\n' "$REPLY" "$meta" "$1"
}
# Every file's hash and size in two processes, not two a file (EL hosts keep dozens of ifcfg files). Both
# list the files in argument order; should one vanish between the two, each file is read on its own.
set --
while IFS= read -r p; do
  if [ -f "$R$p" ]; then set -- "$@" "$R$p"; fi
done < "$TMPF"
: > "$TMPF.list"
if [ "$#" -gt 0 ]; then
  stat -L -c '%s %a %n' -- "$@" > "$TMPF.stat" 2>/dev/null || true
  sha256sum -- "$@" > "$TMPF.sha" 2>/dev/null || true
  n=0
  while read -r size mode sp && IFS=' ' read -r hash hp <&3; do
    [ "$sp" = "$hp" ] || { n=-1; break; }
    without_root "$sp"
    printf '%s %s %s %s\n' "$hash" "$size" "$mode" "$REPLY" >> "$TMPF.list"
    n=$((n + 1))
  done < "$TMPF.stat" 3< "$TMPF.sha"
  if [ "$n" -ne "$#" ]; then
    : > "$TMPF.list"
    while IFS= read -r p; do
      if [ -f "$R$p" ]; then one_file "$p" >> "$TMPF.list"; fi
    done < "$TMPF"
  fi
fi
set --
: > "$TMPF.small"
while read -r hash size mode p; do
  printf '%s %s %s %s\n' "$hash" "$size" "$mode" "$p"
  if [ "$size" -le LIMIT ]; then printf '%s\n' "$p" >> "$TMPF.small"; fi
done < "$TMPF.list"
if [ -s "$ODD" ]; then cat "$ODD"; fi
# Links among them: a run may not replace one (apply.script.ts), and the controller says so before it tries.
links=''
while IFS= read -r p; do
  if [ -L "$R$p" ]; then links="$links$p
"; fi
done < "$TMPF"
if [ -n "$links" ]; then
  sec links
  printf '%s' "$links"
fi
# Every small file's content in one stream, in list order: the controller cuts it by the listed sizes and
# checks each piece against its listed hash (facts.parser.ts), so a file changed since the listing is caught.
set --
while IFS= read -r p; do set -- "$@" "$R$p"; done < "$TMPF.small"
if [ "$#" -gt 0 ]; then
  sec contents
  cat -- "$@" 2>/dev/null | base64
fi
set --
if [ -s "$ODD.content" ]; then cat "$ODD.content"; fi
rm -rf "$FT"
print_live
# A rolled-back run's own account of its restore (restore.script.ts): what it could not undo, and what it kept.
state_value phase
if [ "$REPLY" = rolled-back ]; then
  state_value runId
  if valid_word "$REPLY" && [ -f "$S/backups/$REPLY/journal" ]; then
    sec restore
    grep -E '^[0-9]+ (restore-start|restore-failed|restore-incomplete|restored|kept-bridge|kept-link|kept-ovs)( |$)' "$S/backups/$REPLY/journal" || true
  fi
fi
sec end
`
    .replace('GLOBS', () => FACT_GLOBS.map((glob) => glob.slice(1)).join(' '))
    .replace(/LIMIT/g, () => String(FACT_CONTENT_LIMIT));
