/**
 * Shell functions shared by every on-host script (POSIX sh: dash and bash). Every on-host path is
 * prefixed with $R (HOSTNET_ROOT, empty on real hosts). Written without `${` so the TS side can use
 * String.raw without interpolation.
 */
export const COMMON_SNIPPET = String.raw`
set +u
R=$HOSTNET_ROOT
set -u
S="$R/var/lib/hostnet"

valid_path() {
  case $1 in
    /etc/*|/sbin/ifup-localovs|/var/lib/hostnet/*) ;;
    *) return 1 ;;
  esac
  case $1 in
    *..*|*//*|*/|*[!A-Za-z0-9._@+:/-]*) return 1 ;;
  esac
  return 0
}

valid_word() {
  case $1 in
    ''|*[!A-Za-z0-9._-]*) return 1 ;;
  esac
  return 0
}

now_ms() {
  t=$(date +%s%N 2>/dev/null || true)
  case $t in
    ''|*N*) echo $(( $(date +%s) * 1000 )) ;;
    *) echo $(( t / 1000000 )) ;;
  esac
}

lock() {
  mkdir -p "$S"
  n=0
  while ! mkdir "$S/lock" 2>/dev/null; do
    holder=$(cat "$S/lock/pid" 2>/dev/null || true)
    if [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; then
      rm -rf "$S/lock"
      continue
    fi
    n=$((n + 1))
    if [ "$n" -gt 300 ]; then echo "hostnet: lock $S/lock busy" >&2; return 1; fi
    sleep 0.1 2>/dev/null || sleep 1
  done
  echo $$ > "$S/lock/pid"
}

unlock() {
  rm -rf "$S/lock"
}

state_field() {
  if [ -f "$S/state.json" ]; then
    sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" "$S/state.json"
  fi
}

# write_state RUN SPEC PHASE DEADLINE APPLIED_SPEC
write_state() {
  mkdir -p "$S"
  printf '{"runId":"%s","specHash":"%s","phase":"%s","deadline":"%s","appliedSpecHash":"%s","updatedAt":"%s"}\n' \
    "$1" "$2" "$3" "$4" "$5" "$(date +%s)" > "$S/state.json.tmp"
  mv -f "$S/state.json.tmp" "$S/state.json"
}

# run_step FILE: line 1 name, line 2 phase, then one argv word per line.
run_step() {
  {
    IFS= read -r sname
    IFS= read -r sphase
    set --
    while IFS= read -r a; do set -- "$@" "$a"; done
  } < "$1"
  if [ "$#" -eq 0 ]; then return 127; fi
  if [ -n "$STEP_TIMEOUT" ] && command -v timeout >/dev/null 2>&1; then
    timeout "$STEP_TIMEOUT" "$@" < /dev/null
  else
    "$@" < /dev/null
  fi
}

has() {
  command -v "$1" >/dev/null 2>&1
}

vs() {
  if has timeout; then timeout 15 ovs-vsctl "$@"; else ovs-vsctl "$@"; fi
}
`;
