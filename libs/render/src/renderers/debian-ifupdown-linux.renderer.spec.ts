import { jumboIntent } from '../../../intent/test-support/intent-fixtures';
import { renderInterfacesLinux } from './debian-ifupdown-linux.renderer';

/** The stanza of one interface in an interfaces file (from its `auto` line to the blank line). */
const stanza = (file: string, name: string) => file.split('\n\n').find((s) => s.includes(`iface ${name} inet`))!;

describe('debian-ifupdown-linux MTU', () => {
  it.each([[{}], [{ ifupdown2: true }]])('puts jumbo MTU on NICs, bonds and VLANs; bridges inherit it from their ports (%j)', (options) => {
    const file = renderInterfacesLinux(jumboIntent('linux'), options);
    for (const port of ['eth0', 'eth1', 'bond0', 'bond0.100']) expect(stanza(file, port)).toMatch(/\nmtu 9000$/);
    for (const port of ['eth2', 'bond1']) expect(stanza(file, port)).not.toContain('mtu');
    for (const bridge of ['cloudbr0', 'cloudbr1', 'cloudbr100']) expect(stanza(file, bridge)).not.toContain('mtu');
  });
});
