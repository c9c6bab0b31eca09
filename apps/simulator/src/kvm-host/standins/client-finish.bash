# (client.bash's ending for every tool but sudo: print stdout, exit with the tool's code)
if [ "$outlen" -gt 0 ]; then /bin/cat <&3; fi
exit "$code"
