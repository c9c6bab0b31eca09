import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArmedRun } from './armed-run.fixture';

/**
 * A stand-in ovs-vsctl over a text database ($HOSTNET_ROOT/ovs.db): a line `B` per bridge, `B P` per port. Only
 * the commands a restore runs; any other exits 1.
 */
const OVS_VSCTL = String.raw`#!/bin/sh
db="$HOSTNET_ROOT/ovs.db"
while :; do case $1 in --) shift ;; --*) shift ;; *) break ;; esac; done
case $1 in
  list-br) awk 'NF == 1' "$db" ;;
  list-ports) awk -v b="$2" '$1 == b && NF == 2 { print $2 }' "$db" ;;
  port-to-br) awk -v p="$2" '$2 == p { print $1; f = 1 } END { exit !f }' "$db" ;;
  br-exists) grep -qx "$2" "$db" || exit 2 ;;
  add-port) awk -v p="$3" '$2 == p { f = 1 } END { exit !f }' "$db" || echo "$2 $3" >> "$db" ;;
  *) exit 1 ;;
esac
`;

/** A stand-in ip: `link show dev L` answers for the links in $HOSTNET_ROOT/links.db. */
const IP = String.raw`#!/bin/sh
case "$*" in
  'link show dev '*) grep -qx "$4" "$HOSTNET_ROOT/links.db" ;;
  *) exit 1 ;;
esac
`;

/**
 * The live-host trial's hand-made host (probe-live-hosts-4, probe-live-hosts): `ovs-vsctl add-br cloudbr0 -- add-port
 * cloudbr0 eth0`, no file naming the membership; the run's ifdown eth0 (the OVS hook's del-port) took eth0 off,
 * its ifup cloudbr0 failed. The restore must put eth0 back on cloudbr0, or at least not journal `restored`.
 */
describe('restore: OVS port rows the run took off their bridge are put back', () => {
  const runFiles = {
    journal: '1 begin s1\n2 step-start activate-ifdown-eth0\n',
    owns: 'cloudbr0\ncloudbr1\neth0\neth2\n',
    'ovs-bridges': 'cloudbr0\ncloudbr1\n',
    'ovs-ports': 'cloudbr0 eth0\ncloudbr0 vnet0\ncloudbr1 eth2\ncloudbr1 vnet1\n',
  };
  const tools = { 'ovs-vsctl': OVS_VSCTL, ip: IP };

  function armed(db: string, links: string): ArmedRun {
    const run = new ArmedRun(runFiles, tools);
    writeFileSync(join(run.root, 'ovs.db'), db);
    writeFileSync(join(run.root, 'links.db'), links);
    return run;
  }

  it('adds eth0 and eth2 back to their bridges and journals restored', () => {
    const run = armed('cloudbr0\ncloudbr1\ncloudbr0 vnet0\ncloudbr1 vnet1\n', 'eth0\neth2\nvnet0\nvnet1\n');
    try {
      const r = run.restore();
      expect(r.stderr).toBe('');
      const journal = run.journal();
      expect(journal).toMatch(/ restored-port cloudbr0 eth0\n/);
      expect(journal).toMatch(/ restored-port cloudbr1 eth2\n/);
      expect(journal).toMatch(/ restored\n$/);
      expect(readFileSync(join(run.root, 'ovs.db'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['cloudbr0 eth0', 'cloudbr1 eth2']));
    } finally {
      run.remove();
    }
  });

  it('journals restore-incomplete, never restored, when a port cannot be put back as it was', () => {
    // eth0's device is gone; eth2 sits on another bridge now
    const run = armed('cloudbr0\ncloudbr1\ncloudbr9\ncloudbr0 vnet0\ncloudbr1 vnet1\ncloudbr9 eth2\n', 'eth2\nvnet0\nvnet1\n');
    try {
      const r = run.restore();
      expect(r.stderr).toBe('');
      const journal = run.journal();
      expect(journal).toMatch(/ restore-failed ovs-port cloudbr0 eth0 now:none\n/);
      expect(journal).toMatch(/ restore-failed ovs-port cloudbr1 eth2 now:cloudbr9\n/);
      expect(journal).toMatch(/ restore-incomplete\n$/);
      expect(journal).not.toMatch(/ restored\n/);
    } finally {
      run.remove();
    }
  });

  it("leaves a VM's tap that left its bridge alone (not the run's), and does nothing when the membership is whole", () => {
    const run = armed('cloudbr0\ncloudbr1\ncloudbr0 eth0\ncloudbr1 eth2\n', 'eth0\neth2\n');
    try {
      run.restore();
      const journal = run.journal();
      expect(journal).not.toMatch(/restored-port|restore-failed/);
      expect(journal).toMatch(/ restored\n$/);
    } finally {
      run.remove();
    }
  });
});
