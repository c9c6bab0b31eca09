import type { HostExpectation } from '../domain/workflow-plan';
import { unreachableAfterApply } from './unreachable-reason';

describe('unreachableAfterApply', () => {
  const expected = { managementBridge: 'cloudbr0', managementAddress: '192.168.100.20', gateway: '192.168.100.1' } as HostExpectation;
  const sshError = new Error(
    "kvm1 (192.168.100.20:22) accepted the TCP connection and closed it before the SSH handshake; fix: check that sshd listens there and is not refusing connections (its MaxStartups, a TCP wrapper or firewall), or give the host's out-of-band address in HOSTNET_SSH_ENDPOINTS (the worker's)",
  );

  it("points at the new layout's management path, not at sshd", () => {
    const reason = unreachableAfterApply(expected, sshError);
    expect(reason).toBe(
      "host unreachable after apply: kvm1 (192.168.100.20:22) accepted the TCP connection and closed it before the SSH handshake; it answered before the apply, so the new configuration most likely cut its management path; fix: check the profile's management bridge cloudbr0 (its VLAN and uplink) against the host's wiring, and that 192.168.100.20 and the route via 192.168.100.1 are still on it (hostnet render shows the layout), then run again",
    );
    expect(reason).not.toMatch(/MaxStartups|sshd listens/);
  });

  it('keeps an error without a fix whole', () => {
    expect(unreachableAfterApply({ ...expected, gateway: undefined }, new Error('connect ECONNREFUSED 127.0.0.1:2222'))).toMatch(
      /^host unreachable after apply: connect ECONNREFUSED 127\.0\.0\.1:2222; it answered before .* that 192\.168\.100\.20 is still on it/,
    );
  });
});
