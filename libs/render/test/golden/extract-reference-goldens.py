#!/usr/bin/env python3
"""Writes the goldens of the four reference targets from shared/reference/kvm-networking-for-cloudstack.txt.

Each golden is a verbatim slice of the reference (by line range), so a reviewer can diff one against
the other. Only the corrections listed in CORRECTIONS are applied, each covered by a test in
reference-deviations.spec.ts. netplan/NetworkManager goldens have no reference text; they are our own
output, reviewed and validated by netplan generate / nmcli --offline (test/integration/render).
Usage (from this directory): python3 extract-reference-goldens.py ../fixtures/kvm-networking-for-cloudstack.txt
"""
import os, re, sys

ref = open(sys.argv[1], encoding='utf-8').read().split('\n')

def lines(a, b):  # 1-based inclusive
    return ref[a - 1:b]

def write(target, path, body_lines):
    out = os.path.join(target, path.lstrip('/'))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, 'w', encoding='utf-8', newline='\n') as f:
        f.write('\n'.join(body_lines) + '\n')

def without_hwaddr(ls):  # CORRECTION: HWADDR=00:0C:xx:xx:xx:xx is a placeholder, not a MAC
    return [l for l in ls if not l.startswith('HWADDR=')]

def nic_like(eth0, name, bond):  # "eth0 / eth1 / eth2 / eth3 are all configured the same way"
    return [l.replace('eth0', name).replace('MASTER=bond0', 'MASTER=' + bond) for l in eth0]

NS = '/etc/sysconfig/network-scripts/'
BONDS = {'eth0': 'bond0', 'eth1': 'bond0', 'eth2': 'bond1', 'eth3': 'bond1'}  # CORRECTION: bond1 = eth2+eth3

t = 'el-network-scripts-linux'
for nic, bond in BONDS.items():
    write(t, NS + 'ifcfg-' + nic, nic_like(without_hwaddr(lines(58, 66)), nic, bond))
write(t, NS + 'ifcfg-bond0', lines(71, 75))
write(t, NS + 'ifcfg-bond1', lines(80, 84))
write(t, NS + 'ifcfg-cloudbr0', lines(89, 96))
write(t, NS + 'ifcfg-cloudbr1', lines(101, 105))
# CORRECTION: reference names it ifcfg-bond.100; and it lacks the NM_CONTROLLED=no every other EL file has
write(t, NS + 'ifcfg-bond0.100', lines(112, 117) + ['NM_CONTROLLED=no'])
write(t, NS + 'ifcfg-cloudbr100', lines(122, 129))

t = 'el-network-scripts-ovs'
for nic in BONDS:
    write(t, NS + 'ifcfg-' + nic, nic_like(without_hwaddr(lines(348, 353)), nic, ''))
write(t, NS + 'ifcfg-bond0', lines(358, 366))
write(t, NS + 'ifcfg-bond1', lines(368, 376))
write(t, NS + 'ifcfg-cloudbr0', lines(381, 388))
write(t, NS + 'ifcfg-cloudbr1', lines(393, 398))
write(t, NS + 'ifcfg-cloud0', lines(406, 413))
# CORRECTION: ifup-ovs runs `--may-exist add-br $DEVICE $OVS_OPTIONS`; without the parent and tag it fails on a fake bridge
fake = lines(421, 428)
write(t, NS + 'ifcfg-cloudbr100', fake[:-1] + ['OVS_OPTIONS="cloudbr0 100"'] + fake[-1:])
write(t, '/etc/sysconfig/network', lines(435, 440))
write(t, '/sbin/ifup-localovs', lines(462, 466))

t = 'debian-ifupdown-linux'
write(t, '/etc/network/interfaces', lines(208, 258) + [''] + lines(264, 275))
write(t, '/etc/modules-load.d/hostnet.conf', lines(195, 196))  # drop-in instead of overwriting /etc/modules: its bonding + bridge lines
write(t, '/etc/sysctl.d/60-hostnet-bridge.conf', lines(201, 203))  # drop-in instead of editing /etc/sysctl.conf

t = 'debian-ifupdown-ovs'
# CORRECTION: OVS ignores other_config:miimon; its keys are bond-detect-mode + bond-miimon-interval
miimon = 'other_config:bond-detect-mode=miimon other_config:bond-miimon-interval=100'
ifs = [l.replace('other_config:miimon=100', miimon) for l in lines(577, 622)]
# CORRECTION: the reference's `vi /etc/sysconfig/network-scripts/ifcfg-cloudbr100` is an EL path; on
# Debian/Ubuntu the fake bridge is an OVSBridge stanza whose ovs_options are the parent and the tag.
ifs += ['', 'allow-ovs cloudbr100', 'iface cloudbr100 inet manual', 'ovs_type OVSBridge', 'ovs_options cloudbr0 100']
write(t, '/etc/network/interfaces', ifs)
write(t, '/etc/modules-load.d/hostnet.conf', lines(547, 547))  # drop-in instead of overwriting /etc/modules: its bonding line
write(t, '/etc/modprobe.d/hostnet-blacklist-bridge.conf', lines(555, 555))  # drop-in instead of appending to blacklist.conf
write(t, '/etc/sysctl.d/60-hostnet-bridge.conf', lines(560, 562))
