/** A profile file as a big site writes it: two profiles, selectors, and an override per host (some with pinned MACs and comments). */
export function siteProfileMapYaml(count: number): string {
  const lines = [
    '# generated: one override per host',
    'version: 1',
    'profiles:',
    '  linux:',
    '    backend: linux',
    '    hostDomain: dc1.example.net',
    '    networks:',
    '      - match: { label: cloudbr0 }',
    '        bond: { name: bond0, members: [eth0, eth1], mode: active-backup }',
    '    extras:',
    '      - { name: cloudbr100, on: cloudbr0, address: storage }',
    '  ovs:',
    '    backend: ovs',
    '    networks:',
    '      - match: { physicalNetwork: Physical Network 1 }',
    '        nic: eno1',
    'selectors:',
    '  - profile: linux',
    '  - { profile: ovs, cluster: "Rack 7 (OVS)" }',
    'hosts:',
  ];
  for (let i = 0; i < count; i++) {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    lines.push(`  kvm${i}:`, `    profile: ${i % 2 ? 'ovs' : 'linux'}`, `    storageAddress: ${ip}/16`);
    if (i % 10 === 0) lines.push(`    hwaddrs: { eth0: "52:54:00:${hex(i >> 16)}:${hex(i >> 8)}:${hex(i)}" }   # pinned`);
  }
  return `${lines.join('\n')}\n`;
}

const hex = (n: number) => (n & 255).toString(16).padStart(2, '0');
