import { RenderError, UnsupportedHostOsError } from '../domain/render-errors';
import { assumedOsFacts } from './assumed-os-facts';
import { selectTarget } from './target-selector';

describe('assumedOsFacts + selectTarget (hostnet render --os)', () => {
  it.each([
    ['centos:7', 'linux', 'el-network-scripts-linux'],
    ['centos:7', 'ovs', 'el-network-scripts-ovs'],
    ['rhel:7.9', 'linux', 'el-network-scripts-linux'],
    ['rocky:9', 'linux', 'networkmanager-linux'],
    ['almalinux:8.10', 'linux', 'networkmanager-linux'],
    ['fedora:40', 'linux', 'networkmanager-linux'],
    ['ubuntu:22.04', 'linux', 'netplan-linux'],
    ['ubuntu:24.04', 'ovs', 'netplan-ovs'],
    ['ubuntu:18.04', 'linux', 'netplan-linux'],
    ['ubuntu:16.04', 'ovs', 'debian-ifupdown-ovs'],
    ['debian:12', 'linux', 'debian-ifupdown-linux'],
    ['debian:12', 'ovs', 'debian-ifupdown-ovs'],
  ] as const)('%s with backend %s → %s', (spec, backend, target) => {
    expect(selectTarget(assumedOsFacts(spec), backend)).toBe(target);
  });

  it('EL 8+ with OVS goes through NetworkManager, as on a real host without network-scripts', () => {
    expect(selectTarget(assumedOsFacts('rocky:9'), 'ovs')).toBe('networkmanager-ovs');
  });

  it('an OS hostnet does not know is refused by selection, listing what is supported', () => {
    expect(() => selectTarget(assumedOsFacts('arch:1'), 'linux')).toThrow(UnsupportedHostOsError);
    expect(() => selectTarget(assumedOsFacts('centos:6'), 'linux')).toThrow(/before 7/);
  });

  it('takes Ubuntu versions only as YY.MM, as its os-release writes them (2204 read as a version was no netplan)', () => {
    expect(() => assumedOsFacts('ubuntu:2204')).toThrow('--os "ubuntu:2204": Ubuntu\'s VERSION_ID is YY.MM, e.g. ubuntu:22.04');
    expect(() => assumedOsFacts('ubuntu:22')).toThrow(/YY\.MM/);
  });

  it.each(['centos', 'centos:', ':7', 'Ubuntu:22.04', 'ubuntu:22.04;reboot', 'ubuntu:$(id)', 'ubuntu:22.04\n'])('rejects the malformed spec %j, naming the flag', (spec) => {
    expect(() => assumedOsFacts(spec)).toThrow(RenderError);
    expect(() => assumedOsFacts(spec)).toThrow(/^--os /);
  });
});
