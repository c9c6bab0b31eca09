/**
 * Functions that need parameter expansions (`\${…}`), which the String.raw scripts below cannot hold (it
 * would be JS interpolation). Each one replaces a process per call (cut, dirname, sed, date), which on a
 * loaded host cost seconds per run. Most set REPLY instead of printing, so callers need no subshell.
 */
const WORD_FUNCTIONS = `# after_space TEXT: REPLY is TEXT after its first space (all of TEXT when it has none).
after_space() { REPLY=\${1#* }; }
# before_space TEXT: REPLY is TEXT up to its first space.
before_space() { REPLY=\${1%% *}; }
# parent_dir PATH: REPLY is PATH without its last component (/etc/x/y -> /etc/x).
parent_dir() { REPLY=\${1%/*}; }
# without_root PATH: REPLY is PATH without the host root prefix $R (on a real host, PATH itself).
without_root() { REPLY=\${1#"$R"}; }
# after_text TEXT MARK: REPLY is TEXT after the first MARK in it.
after_text() { REPLY=\${1#*"$2"}; }

# listed_value LISTING SUFFIX: REPLY is the start of the LISTING line (LISTING begins with a newline) that ends
# in SUFFIX, the rest of it up to SUFFIX: a file's hash in a sha256sum listing ('  /path'), its mode in a
# stat '%a %n' one (' /path'); empty when no line ends so.
listed_value() {
  case $1 in
    *"
"*"$2
"*) REPLY=\${1%%"$2
"*}; REPLY=\${REPLY##*"
"} ;;
    *) REPLY='' ;;
  esac
}

# proc_start PID: REPLY is the kernel's start time of PID (field 22 of /proc/PID/stat) and PROC_STATE its
# state letter, both empty when PID is gone. The command name may hold ") ": fields start after the last.
proc_start() {
  REPLY=''
  PROC_STATE=''
  IFS= read -r REPLY 2>/dev/null < "/proc/$1/stat" || { REPLY=''; return 0; }
  REPLY=\${REPLY##*) }
  set -- $REPLY
  PROC_STATE=\${1-}
  REPLY=\${20-}
}

# state_value FIELD: REPLY is FIELD's string value in state.json (one line, see write_state), else empty.
state_value() {
  REPLY=''
  [ -f "$S/state.json" ] || return 0
  IFS= read -r REPLY 2>/dev/null < "$S/state.json" || [ -n "$REPLY" ] || return 0
  case $REPLY in
    *"\\"$1\\":\\""*) REPLY=\${REPLY##*"\\"$1\\":\\""}; REPLY=\${REPLY%%\\"*} ;;
    *) REPLY='' ;;
  esac
}

# uptime_cs: REPLY is the time since boot in 1/100 s (/proc/uptime: "SECONDS.CC ..."), else empty.
uptime_cs() {
  REPLY=''
  read -r REPLY _ 2>/dev/null < /proc/uptime || { REPLY=''; return 0; }
  case $REPLY in
    [0-9]*.[0-9][0-9]) up_cc=\${REPLY#*.}; REPLY=\${REPLY%.*}; REPLY=$(( REPLY * 100 + \${up_cc#0} )) ;;
    *) REPLY='' ;;
  esac
  case $REPLY in *[!0-9]*) REPLY='' ;; esac
}

# now_ms: NOW_MS is the time in ms. One date process per script; after it the clock moves on by
# /proc/uptime (a read, no process) in 10 ms steps, so a journal line costs no process for its time.
CLOCK_MS=''
CLOCK_CS=''
now_ms() {
  uptime_cs
  if [ -n "$REPLY" ] && [ -n "$CLOCK_MS" ]; then
    NOW_MS=$(( CLOCK_MS + (REPLY - CLOCK_CS) * 10 ))
    return 0
  fi
  now_t=$(date +%s%N 2>/dev/null || true)
  case $now_t in
    ''|*N*) NOW_MS=$(( $(date +%s) * 1000 )) ;;
    *) NOW_MS=$(( now_t / 1000000 )) ;;
  esac
  if [ -n "$REPLY" ]; then CLOCK_MS=$NOW_MS; CLOCK_CS=$REPLY; fi
}
`;

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
# The tools' words the scripts match (nmcli's errors, ip's and ovs-vsctl's output) in English whatever the host's
# locale (the boot hook and the rollback timer inherit /etc/locale.conf's LANG).
LC_ALL=C
export LC_ALL

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

has() {
  command -v "$1" >/dev/null 2>&1
}

# ovs-vsctl's own alarm, not timeout(1): one process fewer per call, and facts makes about twenty.
vs() {
  ovs-vsctl --timeout=15 "$@"
}

# flush FILE...: to disk before anything that depends on them, in one process (coreutils before 8.24
# take no operands and sync everything instead).
flush() {
  sync "$@" 2>/dev/null || sync
}

# alive FILE: true while the process recorded in FILE as "pid starttime" still runs (pids are reused).
alive() {
  [ -f "$1" ] || return 1
  read -r apid astart < "$1" || return 1
  [ -n "$apid" ] && [ -n "$astart" ] || return 1
  proc_start "$apid"
  [ "$REPLY" = "$astart" ] || return 1
  case $PROC_STATE in Z|X|'') return 1 ;; esac
  return 0
}

# record_self FILE: writes "pid starttime" of this shell for alive().
record_self() {
  proc_start $$
  echo "$$ $REPLY" > "$1.tmp" && mv -f "$1.tmp" "$1"
}

# lock [SECONDS]: the host's run lock on fd 9. flock is held by the kernel for the open descriptor,
# so a holder that dies releases it at once and no stale-lock guessing is ever needed. Children
# must not inherit fd 9 (they would hold the lock): every command started while locked gets 9>&-.
lock() {
  [ -d "$S" ] || mkdir -p "$S"
  exec 9>>"$S/run.lock"
  if [ "$1" = 0 ]; then set -- -n; else set -- -w "$1"; fi
  flock "$@" 9 || { exec 9>&-; echo "hostnet: the host's run lock $S/run.lock is held by another run" >&2; return 1; }
}

unlock() {
  exec 9>&-
}

# state_field FIELD: prints FIELD's value (for $(…); state_value sets REPLY without a subshell).
state_field() {
  state_value "$1"
  printf '%s' "$REPLY"
}

# write_state RUN SPEC PHASE DEADLINE APPLIED_SPEC: replaces state.json whole, or (a full disk) leaves it as it was and fails.
write_state() {
  now_ms
  [ -d "$S" ] || mkdir -p "$S"
  printf '{"runId":"%s","specHash":"%s","phase":"%s","deadline":"%s","appliedSpecHash":"%s","updatedAt":"%s"}\n' \
    "$1" "$2" "$3" "$4" "$5" "$(( NOW_MS / 1000 ))" > "$S/state.json.tmp" \
    && flush "$S/state.json.tmp" && mv -f "$S/state.json.tmp" "$S/state.json" \
    || { rm -f "$S/state.json.tmp"; return 1; }
}

# set_phase PHASE [DEADLINE]: the current run's phase, keeping its spec and the last applied spec.
set_phase() {
  write_state "$run" "$(state_field specHash)" "$1" "$2" "$(state_field appliedSpecHash)"
}

# journal EVENT ARGS…: one line of the run's on-host journal, on disk before the effect it announces; fails
# when the line could not be written (a full disk), so the effect is not made unannounced.
journal() {
  now_ms
  printf '%s %s\n' "$NOW_MS" "$*" >> "$RUN/journal" || return 1
  flush "$RUN/journal"
}

# journal_note EVENT ARGS…: a line that only records what has happened, never announcing an effect to come.
# It reaches the disk with the next journal line (a sync covers the whole file), a sync process fewer.
journal_note() {
  now_ms
  printf '%s %s\n' "$NOW_MS" "$*" >> "$RUN/journal"
}

# deadline_value: REPLY is the run's rollback deadline (epoch s), 0 when there is none.
deadline_value() {
  REPLY=0
  read -r REPLY 2>/dev/null < "$RUN/deadline" || true
  case $REPLY in ''|*[!0-9]*) REPLY=0 ;; esac
}

# journal_has EVENT: the journal holds EVENT, with or without arguments.
journal_has() {
  grep -q "^[0-9]* $1\( \|$\)" "$RUN/journal" 2>/dev/null
}

# journal_line 'EVENT PATH': the journal holds exactly this line (a path may hold dots and spaces).
journal_line() {
  cut -d' ' -f2- "$RUN/journal" 2>/dev/null | grep -qxF "$1"
}

# boot_id: REPLY is this boot's id (the kernel's), else empty.
boot_id() {
  REPLY=''
  read -r REPLY 2>/dev/null < /proc/sys/kernel/random/boot_id || REPLY=''
}

# deadline_in SECONDS: the moment SECONDS from now, twice: DEADLINE on the wall clock (epoch s, what state.json and
# the controller show) and DEADLINE_UP as "CS BOOT", the time since boot BOOT began (1/100 s), empty when
# /proc/uptime or the boot id cannot be read. The timed decisions follow DEADLINE_UP (deadline_left): an NTP or
# operator's clock step moves the wall clock, never the time since boot.
deadline_in() {
  now_ms
  DEADLINE=$(( NOW_MS / 1000 + $1 ))
  DEADLINE_UP=''
  uptime_cs
  [ -n "$REPLY" ] || return 0
  dl_now=$REPLY
  boot_id
  valid_word "$REPLY" && DEADLINE_UP="$(( dl_now + $1 * 100 )) $REPLY"
  return 0
}

# set_deadline: DEADLINE and DEADLINE_UP (deadline_in) in $RUN/deadline, which the watcher re-reads every second,
# in one rename. Line 1 is the epoch alone, as every reader before the boot-relative line read it.
set_deadline() {
  { echo "$DEADLINE" && if [ -n "$DEADLINE_UP" ]; then echo "$DEADLINE_UP"; fi; } > "$RUN/deadline.tmp" \
    && flush "$RUN/deadline.tmp" && mv -f "$RUN/deadline.tmp" "$RUN/deadline"
}

# deadline_left: REPLY is the time left before the run's rollback deadline in 1/100 s, 0 or less once it has come.
# Measured on the time since boot when the deadline holds one of this boot (line 2, deadline_in); else on the wall
# clock (a deadline set in an earlier boot, which the boot hook restores anyway, or with no /proc/uptime), from
# line 1, or from state.json when the file is not there yet (an apply stopped between the two).
deadline_left() {
  dl_epoch=''
  dl_up=''
  dl_boot=''
  if [ -f "$RUN/deadline" ]; then { read -r dl_epoch; read -r dl_up dl_boot; } 2>/dev/null < "$RUN/deadline" || true; else state_value deadline; dl_epoch=$REPLY; fi
  case $dl_epoch in ''|*[!0-9]*) dl_epoch=0 ;; esac
  case $dl_up in ''|*[!0-9]*) dl_up='' ;; esac
  if [ -n "$dl_up" ]; then
    boot_id
    if [ -n "$REPLY" ] && [ "$REPLY" = "$dl_boot" ]; then
      uptime_cs
      if [ -n "$REPLY" ]; then REPLY=$(( dl_up - REPLY )); return 0; fi
    fi
  fi
  REPLY=$(( (dl_epoch - $(date +%s)) * 100 ))
}

# run_step FILE PIDFILE: FILE's line 1 name, line 2 phase, then one argv word per line. Runs in the background
# so a restore can stop it by the pid in PIDFILE; never inherits the lock.
run_step() {
  spidf=$2
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
  proc_start "$spid"
  echo "$spid $REPLY" > "$spidf"
  wait "$spid"
}
`;
