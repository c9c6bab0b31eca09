import { COMMON_SNIPPET } from './common.snippet';

/** Where the spec hash of the last relabel step whose agent restart succeeded is kept (idempotence). */
export const AGENT_RESTART_MARKER = '/var/lib/hostnet/agent-restarted';

/**
 * Restarts cloudstack-agent once per spec: argv $1 is the spec hash (hex, checked), and a marker holding
 * it means this spec's restart already happened (a re-delivered job restarts nothing). systemctl where
 * the host has it, else the SysV `service`. Prints `restarted`, `already` or the failure; exits with
 * the restart's code.
 */
export const AGENT_RESTART_SCRIPT = String.raw`${COMMON_SNIPPET}
hash=$1
valid_word "$hash" || { echo "invalid spec hash" >&2; exit 2; }
marker="$R${AGENT_RESTART_MARKER}"
if [ -f "$marker" ] && [ "$(cat "$marker")" = "$hash" ]; then echo already; exit 0; fi
if has systemctl; then systemctl restart cloudstack-agent; else service cloudstack-agent restart; fi
rc=$?
[ "$rc" -eq 0 ] || { echo "cloudstack-agent restart exited $rc" >&2; exit "$rc"; }
mkdir -p "$S" && printf '%s\n' "$hash" >"$marker.tmp" && mv "$marker.tmp" "$marker"
echo restarted
`;
