# (client.bash's ending for sudo: the server logged argv and answered where the command starts; run it
# as is, as a child, like the node stand-in did: exec finds external commands only, never a builtin)
[ "$code" -eq 0 ] || exit "$code"
LC_ALL=C IFS= read -r -d '' -N "$outlen" start <&3
exec 3<&-
shift "$start"
if ! type -P -- "$1" >/dev/null; then printf 'sudo: %s: command not found\n' "$1" >&2; exit 1; fi
( exec "$@" )
