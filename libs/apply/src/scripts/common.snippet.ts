/**
 * Parameter expansions as functions that set REPLY: the String.raw scripts cannot hold `${` (it would be
 * JS interpolation), and these replace a `cut`/`dirname` process per call, which on a loaded host cost
 * seconds per run.
 */
const WORD_FUNCTIONS = [
  '# after_space TEXT: REPLY is TEXT after its first space (all of TEXT when it has none).',
  'after_space() { REPLY=${1#* }; }',
  '# before_space TEXT: REPLY is TEXT up to its first space.',
  'before_space() { REPLY=${1%% *}; }',
  '# parent_dir PATH: REPLY is PATH without its last component (/etc/x/y -> /etc/x).',
  'parent_dir() { REPLY=${1%/*}; }',
  '',
].join('\n');

/**
 * Shell functions shared by every on-host script (POSIX sh: dash and bash). Every on-host path is
 * prefixed with $R (HOSTNET_ROOT, empty on real hosts). Written without `${` so the TS side can use
 * String.raw without interpolation (WORD_FUNCTIONS hold the expansions).
 */
export const COMMON_SNIPPET = WORD_FUNCTIONS + String.raw`
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
    *..*|*//*|*/) return 1 ;;
    /etc/NetworkManager/system-connections/*/*) ;;
    # NetworkManager's own names ("Wired connection 1"): single spaces inside the file name, nowhere else
    /etc/NetworkManager/system-connections/*)
      case $1 in *'  '*|*' '|*/' '*|*[!A-Za-z0-9._@+:/' '-]*) return 1 ;; esac
      return 0
      ;;
  esac
  case $1 in
    *[!A-Za-z0-9._@+:/-]*) return 1 ;;
  esac
  return 0
}

valid_word() {
  case $1 in
    ''|*[!A-Za-z0-9._-]*) return 1 ;;
  esac
  return 0
}

# now_ms: sets NOW_MS to the time in ms (one date process; a function called in $(…) would fork twice).
now_ms() {
  t=$(date +%s%N 2>/dev/null || true)
  case $t in
    ''|*N*) NOW_MS=$(( $(date +%s) * 1000 )) ;;
    *) NOW_MS=$(( t / 1000000 )) ;;
  esac
}

has() {
  command -v "$1" >/dev/null 2>&1
}

# ovs-vsctl's own alarm, not timeout(1): one process fewer per call, and facts makes about twenty.
vs() {
  ovs-vsctl --timeout=15 "$@"
}

# flush FILE: to disk before anything that depends on it (old coreutils sync everything instead).
flush() {
  sync "$1" 2>/dev/null || sync
}

# proc_start PID: the kernel's start time of PID (field 22 of /proc/PID/stat), empty when gone.
proc_start() {
  if [ -r "/proc/$1/stat" ]; then sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; fi
}

# alive FILE: true while the process recorded in FILE as "pid starttime" still runs (pids are reused).
alive() {
  [ -f "$1" ] || return 1
  read -r apid astart < "$1" || return 1
  [ -n "$apid" ] && [ -n "$astart" ] && [ "$(proc_start "$apid")" = "$astart" ] || return 1
  case $(sed 's/.*) //' "/proc/$apid/stat" 2>/dev/null | cut -c1) in Z|X|'') return 1 ;; esac
  return 0
}

# record_self FILE: writes "pid starttime" of this shell for alive().
record_self() {
  echo "$$ $(proc_start $$)" > "$1.tmp" && mv -f "$1.tmp" "$1"
}

# lock [SECONDS]: the host's run lock on fd 9. flock is held by the kernel for the open descriptor,
# so a holder that dies releases it at once and no stale-lock guessing is ever needed. Children
# must not inherit fd 9 (they would hold the lock): every command started while locked gets 9>&-.
lock() {
  mkdir -p "$S"
  exec 9>>"$S/run.lock"
  if [ "$1" = 0 ]; then set -- -n; else set -- -w "$1"; fi
  flock "$@" 9 || { exec 9>&-; echo "hostnet: the host's run lock $S/run.lock is held by another run" >&2; return 1; }
}

unlock() {
  exec 9>&-
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
  flush "$S/state.json.tmp"
  mv -f "$S/state.json.tmp" "$S/state.json"
}

# set_phase PHASE [DEADLINE]: the current run's phase, keeping its spec and the last applied spec.
set_phase() {
  write_state "$run" "$(state_field specHash)" "$1" "$2" "$(state_field appliedSpecHash)"
}

# journal EVENT ARGS…: one line of the run's on-host journal, on disk before the effect it announces.
journal() {
  now_ms
  printf '%s %s\n' "$NOW_MS" "$*" >> "$RUN/journal"
  flush "$RUN/journal"
}

# journal_has EVENT: the journal holds EVENT, with or without arguments.
journal_has() {
  grep -q "^[0-9]* $1\( \|$\)" "$RUN/journal" 2>/dev/null
}

# journal_line 'EVENT PATH': the journal holds exactly this line (a path may hold dots and spaces).
journal_line() {
  cut -d' ' -f2- "$RUN/journal" 2>/dev/null | grep -qxF "$1"
}

# set_deadline EPOCH_S: the rollback deadline the watcher re-reads every second.
set_deadline() {
  echo "$1" > "$RUN/deadline.tmp" && flush "$RUN/deadline.tmp" && mv -f "$RUN/deadline.tmp" "$RUN/deadline"
}

# run_step FILE: line 1 name, line 2 phase, then one argv word per line. Runs in the background so
# a restore can stop it by the pid in $RUN/step.pid; never inherits the lock.
run_step() {
  {
    IFS= read -r sname
    IFS= read -r sphase
    set --
    while IFS= read -r a; do set -- "$@" "$a"; done
  } < "$1"
  if [ "$#" -eq 0 ]; then return 127; fi
  if has timeout; then set -- timeout -k 5 "$STEP_TIMEOUT" "$@"; fi
  "$@" < /dev/null 9>&- &
  spid=$!
  echo "$spid $(proc_start "$spid")" > "$RUN/step.pid"
  wait "$spid"
}
`;
