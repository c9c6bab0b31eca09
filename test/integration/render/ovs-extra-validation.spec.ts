import { renderHost } from '@hostnet/render';
import { jumboIntent } from '../../../libs/intent/test-support/intent-fixtures';
import { debianOvsCommands, elOvsCommands, failedCommands } from './ovs-hook-commands';
import { startPrivateOvsdb } from './private-ovsdb';
import { cleanupTempDirs, tempDir } from './tool-harness';

/**
 * The MTU an OVS host keeps lives in OVS_EXTRA / ovs_extra (mtu_request). The rendered values run
 * here exactly as the distros' hooks run them, through a real ovs-vsctl against a private
 * ovsdb-server, and the Interface rows must then hold the jumbo MTU.
 */
describe('OVS MTU through the hooks\' ovs-vsctl command lines', () => {
  afterAll(cleanupTempDirs);
  const expectJumbo = (get: (iface: string) => string) => {
    for (const iface of ['eth0', 'eth1', 'cloudbr0', 'cloudbr100']) expect([iface, get(iface)]).toEqual([iface, '9000']);
    for (const iface of ['eth2', 'eth3', 'cloudbr1']) expect([iface, get(iface)]).toEqual([iface, '[]']);
  };

  it('debian-ifupdown-ovs: every stanza\'s hook command is accepted and sets mtu_request', () => {
    const { vsctl, stop } = startPrivateOvsdb(tempDir('ovsdb-debian'));
    try {
      const file = renderHost(jumboIntent('ovs'), 'debian-ifupdown-ovs', { ovsDatapathType: 'netdev' }).files.find((f) => f.path === '/etc/network/interfaces')!.content;
      expect(failedCommands(vsctl, debianOvsCommands(file))).toEqual([]);
      expectJumbo((iface) => vsctl(['get', 'interface', iface, 'mtu_request']).stdout.trim());
      expect(vsctl(['get', 'bridge', 'cloudbr0', 'datapath_type']).stdout.trim()).toBe('netdev');
    } finally {
      stop();
    }
  });

  it('el-network-scripts-ovs: every file\'s ifup-ovs command is accepted and sets mtu_request', () => {
    const { vsctl, stop } = startPrivateOvsdb(tempDir('ovsdb-el'));
    try {
      expect(failedCommands(vsctl, elOvsCommands(renderHost(jumboIntent('ovs'), 'el-network-scripts-ovs').files))).toEqual([]);
      expectJumbo((iface) => vsctl(['get', 'interface', iface, 'mtu_request']).stdout.trim());
    } finally {
      stop();
    }
  });

  it('refuses a malformed mtu_request (the check can fail)', () => {
    const { vsctl, stop } = startPrivateOvsdb(tempDir('ovsdb-bad'));
    try {
      const r = vsctl(['--', '--may-exist', 'add-br', 'cloudbr0', '--', 'set', 'interface', 'cloudbr0', 'mtu_request=jumbo']);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/jumbo/);
    } finally {
      stop();
    }
  });
});
