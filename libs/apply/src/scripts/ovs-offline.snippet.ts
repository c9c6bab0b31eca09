/**
 * What apply and restore read of Open vSwitch when ovs-vsctl is installed and its database does not answer (OVS
 * not started: a blank EL or Debian host's first run). An activation can start it meanwhile (EL's ifup-ovs and
 * Debian's ifupdown hook start the service), and the run's steps make bridges in it; a restore that knows no
 * bridge list from before the run could neither remove those nor tell them from the bridges the database already
 * held. ovsdb-server opens one file, which ovsdb-tool reads without a server: read-only, it takes no lock, so it
 * never holds up an ovsdb-server starting at boot.
 */
export const OVS_OFFLINE_SNIPPET = String.raw`
# ovsdb_server_running: an ovsdb-server runs, as OVS's own scripts decide it (ovs-lib's daemon_is_running): the pidfile
# in the run directory ovs-vsctl connects to by default names a live ovsdb-server; or its socket is there (a server
# that exits removes it; one left by a crash is no OVS merely not started either).
ovsdb_server_running() {
  or_dir=$(vs --help 2>/dev/null | sed -n 's/.*(default: unix:\(\/.*\)\/db\.sock)$/\1/p')
  [ -n "$or_dir" ] || return 1
  [ ! -S "$R$or_dir/db.sock" ] || return 0
  or_pid=''
  read -r or_pid 2>/dev/null < "$R$or_dir/ovsdb-server.pid" || [ -n "$or_pid" ] || return 1
  case $or_pid in ''|*[!0-9]*) return 1 ;; esac
  or_comm=''
  read -r or_comm 2>/dev/null < "/proc/$or_pid/comm" || return 1
  [ "$or_comm" = ovsdb-server ]
}

# ovs_offline_read DIR: the database file's bridges (as list-br prints them), 'BRIDGE PORT' lines and
# 'INTERFACE,MTU_REQUEST' lines, in DIR/ovs-bridges, DIR/ovs-ports and DIR/ovs-mtu-requests: the files
# snapshot_live's live read writes. The file is the one ovsdb-server opens by default, which ovsdb-tool names
# (it follows OVS_DBDIR as ovs-ctl does). No file: no bridges, a valid empty answer. Fails when the file is there and
# cannot be read, or answers in any shape other than the one read here (a name outside [A-Za-z0-9._:@+-], an error):
# a bridge missing from the lists would look like the run's own to a restore.
ovs_offline_read() {
  oo_db=''
  if has ovsdb-tool; then oo_db=$(ovsdb-tool --help 2>/dev/null | sed -n 's/^The default DB is \(\/.*\)\.$/\1/p'); fi
  # without ovsdb-tool, where the packages keep it; there, it cannot be read
  [ -n "$oo_db" ] || oo_db=/etc/openvswitch/conf.db
  # printf, not ':', a special builtin whose failed redirection ends the script
  { printf '' > "$1/ovs-bridges" && printf '' > "$1/ovs-ports" && printf '' > "$1/ovs-mtu-requests"; } 2>/dev/null || return 1
  # a link to a file never created (conf.db -> /var/lib/openvswitch/conf.db on this CI image) is no file
  [ -e "$R$oo_db" ] || return 0
  has ovsdb-tool || return 1
  oo_out=$(ovsdb-tool query "$R$oo_db" '["Open_vSwitch",{"op":"select","table":"Bridge","where":[],"columns":["name","ports"]},{"op":"select","table":"Port","where":[],"columns":["_uuid","name","fake_bridge"]}]' 2>/dev/null) || return 1
  case $oo_out in '[{"rows":['*) ;; *) return 1 ;; esac
  # One row a line, its columns in the order ovsdb prints them (sorted), each table's rows told apart by their
  # columns: 'B BRIDGE PORT-UUID...', 'P UUID NAME FAKE'. A row that matches neither stays as it was and fails the
  # read below.
  oo_rows=$(printf '%s\n' "$oo_out" | tr '{' '\n' | sed \
    -e 's/^"name":"\([A-Za-z0-9._:@+-]*\)","ports":\(.*\)}[]},]*$/B \1 \2/' \
    -e '/^B /s/"set",//' -e '/^B /s/"uuid","\([0-9a-f-]*\)"/ \1 /g' -e '/^B /s/[][,"}]/ /g' \
    -e 's/^"_uuid":\["uuid","\([0-9a-f-]*\)"\],"fake_bridge":\([a-z]*\),"name":"\([A-Za-z0-9._:@+-]*\)"}[]},]*$/P \1 \3 \2/') || return 1
  oo_tables=0
  oo_names=' '
  oo_fakes=' '
  while read -r oo_k oo_a oo_b oo_c; do
    case $oo_k in
      '') ;;
      '[') [ -z "$oo_a" ] || return 1 ;;
      '"rows":['*) oo_tables=$((oo_tables + 1)) ;;
      P)
        case $oo_c in true) oo_fakes="$oo_fakes$oo_b " ;; false) ;; *) return 1 ;; esac
        oo_names="$oo_names$oo_a=$oo_b "
        ;;
      B) ;;
      *) return 1 ;;
    esac
  done <<HOSTNET_OVS_ROWS
$oo_rows
HOSTNET_OVS_ROWS
  [ "$oo_tables" = 2 ] || return 1
  # A port tagged with a fake bridge's VLAN is listed under the fake bridge by ovs-vsctl, under its parent in the
  # database: every port of a bridge is written under the bridge and under each of its fake bridges. More lines than
  # list-ports prints only keep more: a restore removes a port only when its line is missing.
  while read -r oo_k oo_a oo_rest; do
    [ "$oo_k" = B ] || continue
    echo "$oo_a" >> "$1/ovs-bridges" || return 1
    oo_ports=''
    oo_on=''
    for oo_u in $oo_rest; do
      case $oo_names in *" $oo_u="*) ;; *) return 1 ;; esac
      after_text "$oo_names" " $oo_u="
      before_space "$REPLY"
      [ "$REPLY" != "$oo_a" ] || continue
      case $oo_fakes in
        *" $REPLY "*) oo_on="$oo_on $REPLY"; echo "$REPLY" >> "$1/ovs-bridges" || return 1 ;;
        *) oo_ports="$oo_ports $REPLY" ;;
      esac
    done
    for oo_b in $oo_a $oo_on; do
      for oo_p in $oo_ports; do echo "$oo_b $oo_p"; done
    done >> "$1/ovs-ports" || return 1
  done <<HOSTNET_OVS_ROWS
$oo_rows
HOSTNET_OVS_ROWS
  # The MTU requests as the live read takes them: none without the column (OVS before 2.6), as when its list fails.
  oo_out=$(ovsdb-tool query "$R$oo_db" '["Open_vSwitch",{"op":"select","table":"Interface","where":[],"columns":["name","mtu_request"]}]' 2>/dev/null) || oo_out=''
  case $oo_out in
    '[{"rows":['*)
      printf '%s\n' "$oo_out" | tr '{' '\n' | sed -n \
        -e 's/^"mtu_request":\["set",\[\]\],"name":"\([A-Za-z0-9._:@+-]*\)"}[]},]*$/\1,[]/p' \
        -e 's/^"mtu_request":\([0-9]*\),"name":"\([A-Za-z0-9._:@+-]*\)"}[]},]*$/\2,\1/p' > "$1/ovs-mtu-requests" 2>/dev/null \
        || rm -f "$1/ovs-mtu-requests"
      ;;
    *) rm -f "$1/ovs-mtu-requests" ;;
  esac
  return 0
}
`;
