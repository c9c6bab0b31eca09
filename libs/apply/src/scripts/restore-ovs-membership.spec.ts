import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { usePrivateOvsdb } from '../../../../test/support/private-ovsdb';
import { ArmedRun } from './armed-run.fixture';
import { COMMON_SNIPPET } from './common.snippet';
import { OVS_PORT_ROWS_SNIPPET } from './ovs-membership-restore.snippet';

/** A stand-in ip: `link show dev L` answers for the links in $HOSTNET_ROOT/links.db. */
const IP = String.raw`#!/bin/sh
case "$*" in
  'link show dev '*) grep -qx "$4" "$HOSTNET_ROOT/links.db" ;;
  *) exit 1 ;;
esac
`;

/**
 * The live-host trial's hand-made hosts (probe-live-hosts-4: cloudbr0 + eth0; probe-live-hosts: cloudbr1 + eth2):
 * `ovs-vsctl add-br cloudbr0 -- add-port cloudbr0 eth0`, no file naming the membership; the run's ifdown eth0 (the
 * OVS hook's del-port) took eth0 off and its ifup cloudbr0 failed. The restore must put the port back as it was, or
 * journal restore-incomplete, never `restored`. On a private ovsdb-server (real ovs-vsctl, no vswitchd; needs root).
 */
describe('restore: OVS port rows the run took off their bridge are put back', () => {
  const { ovs, wrapper } = usePrivateOvsdb('hostnet-om-ovsdb-', 'om-restore-ovs');
  const owns = 'cloudbr0\ncloudbr1\neth0\neth2\n';
  const tools = { 'ovs-vsctl': wrapper, ip: IP };

  /** The hand-made host with `portSettings` on eth0, armed as the apply leaves it (its snapshot taken), then `during` (the run's effects). */
  function armed(portSettings: string[], during: string[][], links: string): ArmedRun {
    for (const b of ovs('list-br').split('\n').filter((n) => n !== '')) ovs('del-br', b);
    ovs('add-br', 'cloudbr0', '--', 'add-port', 'cloudbr0', 'eth0', ...portSettings, '--', 'add-port', 'cloudbr0', 'vnet0');
    ovs('add-br', 'cloudbr1', '--', 'add-port', 'cloudbr1', 'eth2', '--', 'add-port', 'cloudbr1', 'vnet1');
    const run = new ArmedRun({ journal: '1 begin s1\n2 step-start activate-ifdown-eth0\n', owns }, tools);
    const snapshot = spawnSync('sh', ['-c', `${COMMON_SNIPPET}${OVS_PORT_ROWS_SNIPPET}
RUN='${run.dir}'
vs list-br > "$RUN/ovs-bridges" && for b in $(cat "$RUN/ovs-bridges"); do for p in $(vs list-ports "$b"); do echo "$b $p"; done; done > "$RUN/ovs-ports" && ovs_port_rows > "$RUN/ovs-port-rows"`], { env: run.env, encoding: 'utf8' });
    expect(snapshot.stderr).toBe('');
    for (const command of during) ovs(...command);
    writeFileSync(join(run.root, 'links.db'), links);
    return run;
  }

  const portOf = (name: string): string => {
    try {
      return ovs('port-to-br', name).trim();
    } catch {
      return '';
    }
  };

  it('adds eth0 and eth2 back to their bridges and journals restored', () => {
    const run = armed([], [['del-port', 'eth0'], ['del-port', 'eth2']], 'eth0\neth2\nvnet0\nvnet1\n');
    try {
      expect(run.restore().stderr).toBe('');
      const journal = run.journal();
      expect(journal).toMatch(/ restored-port cloudbr0 eth0\n/);
      expect(journal).toMatch(/ restored-port cloudbr1 eth2\n/);
      expect(journal).toMatch(/ restored\n$/);
      expect([portOf('eth0'), portOf('eth2')]).toEqual(['cloudbr0', 'cloudbr1']);
    } finally {
      run.remove();
    }
  });

  it('puts eth0 back but journals restore-incomplete when its row held settings a plain add-port does not give back', () => {
    const run = armed(['tag=5', 'other_config:stp-path-cost=4', '--', 'set', 'interface', 'eth0', 'ofport_request=7'], [['del-port', 'eth0']], 'eth0\neth2\n');
    try {
      expect(run.restore().stderr).toBe('');
      const journal = run.journal();
      expect(journal).toMatch(/ restore-failed ovs-port-settings cloudbr0 eth0 /);
      expect(journal).toMatch(/ restore-incomplete\n$/);
      expect(portOf('eth0')).toBe('cloudbr0');
    } finally {
      run.remove();
    }
  });

  it('journals restore-incomplete, never restored, when a port cannot be put back as it was', () => {
    // eth0's device is gone; eth2 was moved to a bridge of the run's: taken off it, then put back
    const run = armed([], [['del-port', 'eth0'], ['del-port', 'eth2'], ['add-br', 'cloudbr9', '--', 'add-port', 'cloudbr9', 'eth2']], 'eth2\n');
    try {
      expect(run.restore().stderr).toBe('');
      const journal = run.journal();
      expect(journal).toMatch(/ restore-failed ovs-port cloudbr0 eth0 now:none\n/);
      expect(journal).toMatch(/ removed-port cloudbr9 eth2\n(.*\n)*\d+ restored-port cloudbr1 eth2\n/);
      expect(journal).toMatch(/ restore-incomplete\n$/);
      expect(journal).not.toMatch(/ restored\n/);
    } finally {
      run.remove();
    }
  });

  it("leaves a VM's tap that left its bridge alone (not the run's), and does nothing when the membership is whole", () => {
    const run = armed([], [['del-port', 'vnet0']], 'eth0\neth2\n');
    try {
      expect(run.restore().stderr).toBe('');
      const journal = run.journal();
      expect(journal).not.toMatch(/restored-port|restore-failed/);
      expect(journal).toMatch(/ restored\n$/);
      expect(portOf('vnet0')).toBe('');
    } finally {
      run.remove();
    }
  });
});
