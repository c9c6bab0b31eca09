import { COMMON_SNIPPET } from './common.snippet';

/** Where the requestId of the last relabel job whose agent restart succeeded is kept (idempotence). */
export const AGENT_RESTART_MARKER = '/var/lib/hostnet/agent-restarted';

/**
 * Restarts cloudstack-agent once per job: argv $1 is the job's requestId (a word, checked), and a marker
 * holding it means this job's restart already happened (a re-delivered job restarts nothing, a new step —
 * a switch-back with the switch's spec hash — restarts). systemctl where
 * the host has it, else the SysV `service`. With $2 `if-running`, an agent that is not running is left
 * alone (`not-running`): one in systemd's restart loop (Restart=always) reads the new bridges at its next
 * start by itself. Prints `restarted`, `already`, `not-running` or the failure; exits with the restart's code.
 */
export const AGENT_RESTART_SCRIPT = String.raw`${COMMON_SNIPPET}
key=$1
valid_word "$key" || { echo "invalid request id" >&2; exit 2; }
marker="$R${AGENT_RESTART_MARKER}"
if [ -f "$marker" ] && [ "$(cat "$marker")" = "$key" ]; then echo already; exit 0; fi
if [ $# -ge 2 ] && [ "$2" = if-running ]; then
  if has systemctl; then running() { systemctl is-active --quiet cloudstack-agent; }; else running() { service cloudstack-agent status > /dev/null 2>&1; }; fi
  running || { echo not-running; exit 0; }
fi
if has systemctl; then systemctl restart cloudstack-agent; else service cloudstack-agent restart; fi
rc=$?
[ "$rc" -eq 0 ] || { echo "cloudstack-agent restart exited $rc" >&2; exit "$rc"; }
mkdir -p "$S" && printf '%s\n' "$key" >"$marker.tmp" && mv "$marker.tmp" "$marker"
echo restarted
`;
