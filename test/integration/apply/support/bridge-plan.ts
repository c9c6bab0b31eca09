import type { HostWorkflowPlan } from '@hostnet/apply';
import type { ApplyStep, RenderedConfig } from '@hostnet/render';

export const NEW_INTERFACES =
  'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet manual\n\nauto cloudbr0\niface cloudbr0 inet static\n' +
  '  address 192.168.100.20/24\n  gateway 192.168.100.1\n  bridge_ports eth0\n  bridge_stp off\n  bridge_fd 0\n';

/** A small debian-ifupdown-linux plan: cloudbr0 over eth0 carrying the management IP. */
export function bridgePlan(
  runId: string,
  overrides: { interfaces?: string; steps?: ApplyStep[]; extraSteps?: ApplyStep[]; extraFiles?: RenderedConfig['files']; specHash?: string } = {},
): HostWorkflowPlan {
  const rendered: RenderedConfig = {
    target: 'debian-ifupdown-linux',
    files: [{ path: '/etc/network/interfaces', content: overrides.interfaces ?? NEW_INTERFACES, mode: 0o644 }, ...(overrides.extraFiles ?? [])],
    removes: ['/etc/network/interfaces.d/50-cloud-init'],
    steps: [...(overrides.steps ?? [{ name: 'ifup-cloudbr0', argv: ['ifup', 'cloudbr0'], phase: 'activate' }]), ...(overrides.extraSteps ?? [])],
  };
  return {
    runId,
    specHash: overrides.specHash ?? 'spec1',
    render: () => rendered,
    expected: cloudbr0Expectation('192.168.100.20'),
  };
}

/** What a host looks like once cloudbr0 over eth0 carries `address`/24 and the default route. */
export function cloudbr0Expectation(address: string): HostWorkflowPlan['expected'] {
  return {
    backend: 'linux',
    live: {
      links: [
        { name: 'cloudbr0', kind: 'bridge', members: ['eth0'] },
        { name: 'eth0', kind: 'nic', master: 'cloudbr0' },
      ],
      addresses: [{ dev: 'cloudbr0', address, prefix: 24 }],
      routes: [{ to: 'default', via: '192.168.100.1', dev: 'cloudbr0' }],
    },
    managementBridge: 'cloudbr0',
    managementAddress: address,
    gateway: '192.168.100.1',
    labelBridges: ['cloudbr0'],
  };
}
