import type { PhaseDiff } from '../relabels/relabel-host-diff';
import { renderRelabelDiffRefusal, renderRelabelHostDiff } from './relabel-diff.renderer';
import { linuxDiff } from './test-support/relabel-host-diffs';

const EVIL = '"><script>x()</script>';
const hostile = (phase: PhaseDiff['phase']): PhaseDiff => ({
  phase,
  from: 'old',
  to: 'both',
  files: [{ path: `/etc/${EVIL}`, change: 'update', unified: `--- a/${EVIL}\n+++ b/${EVIL}\n@@ -1 +1 @@\n-${EVIL}\n+${EVIL}\n` }],
  commands: [`ip link set ${EVIL}`],
  agentProperties: [{ from: EVIL, to: EVIL }],
  restartAgent: true,
  cloudstackBefore: [{ api: 'prepareHostForMaintenance', params: { id: EVIL }, async: true, condition: 'if-running-vms' }],
  cloudstackAfter: [],
});

describe('relabel diff fragment', () => {
  it('escapes every value that comes from CloudStack, the profiles or the request', () => {
    const html = renderRelabelHostDiff({ rolloutId: EVIL, hostId: EVIL, hostName: EVIL, target: 'debian-ifupdown-linux', targetSource: 'requested', basis: EVIL, phases: [hostile('expand')], rollback: [] });
    expect(html).not.toContain('<script>');
    expect(html).toContain('<span class="del">-&quot;&gt;&lt;script&gt;x()&lt;/script&gt;</span>');
    expect(html).toContain('<pre class="commands">$ ip link set &quot;&gt;&lt;script&gt;');
    expect(html).toContain('<code>prepareHostForMaintenance</code> <code>id=&quot;&gt;&lt;script&gt;');
    expect(html).toContain('(only if VMs run on the host)');
    const refusal = renderRelabelDiffRefusal({ rolloutId: EVIL, host: EVIL, status: 404, message: EVIL });
    expect(refusal).not.toContain('<script>');
  });

  it('shows a change beyond the relabel first, escaped, with the dry-run diff that found it', () => {
    const unapplied = { change: `a dry-run found ${EVIL}`, files: hostile('expand').files, live: [EVIL] };
    const html = renderRelabelHostDiff({ rolloutId: 'r', hostId: 'h', hostName: 'kvm3', target: 'debian-ifupdown-linux', targetSource: 'detected', basis: 'b', phases: [hostile('expand')], rollback: [], unapplied });
    expect(html).not.toContain('<script>');
    expect(html.indexOf('Not part of the relabel, applied by its expand')).toBeLessThan(html.indexOf('relabel-phases'));
    expect(html).toContain('<p class="fail">a dry-run found &quot;&gt;&lt;script&gt;');
    expect(renderRelabelHostDiff({ rolloutId: 'r', hostId: 'h', hostName: 'kvm3', target: 'debian-ifupdown-linux', targetSource: 'detected', basis: 'b', phases: [], rollback: [] })).not.toContain('relabel-unapplied');
  });

  it('shows the forward steps open in the order the rollout runs them, then the abort steps closed', () => {
    const html = renderRelabelHostDiff(linuxDiff());
    const order = [...html.matchAll(/<details class="relabel-phase phase-([a-z-]+)"( open)?>/g)].map((m) => `${m[1]}${m[2] ? ' open' : ''}`);
    expect(order).toEqual(['expand open', 'switch open', 'contract open', 'restore-both', 'switch-back', 'restore-old']);
    expect(html.indexOf('<section class="relabel-phases"')).toBeLessThan(html.indexOf('<section class="relabel-rollback"'));
    expect(html).toContain("Rendered for <code>debian-ifupdown-linux</code> (detected by the host's latest hostnet run).");
    // the target form offers the host's backend only, the current one chosen
    expect(html).toContain('<option value="debian-ifupdown-linux" selected>');
    expect(html).not.toContain('-ovs"');
  });

  it('renders files with the run diff styles, and says "unchanged" for a step that writes none', () => {
    const html = renderRelabelHostDiff(linuxDiff());
    const step = (name: string) => html.slice(html.indexOf(`phase-${name}"`), html.indexOf('</details>', html.indexOf(`phase-${name}"`) + 1));
    const switchStep = html.slice(html.indexOf('phase-switch"'), html.indexOf('phase-contract"'));
    expect(switchStep).toContain('<p class="empty">Files: unchanged.</p>');
    expect(switchStep).toContain('(files unchanged · ');
    expect(switchStep).toContain('<strong>cloudstack-agent restarts</strong>');
    expect(switchStep).toMatch(/CloudStack after<\/h4><ol class="calls"><li><code>updateHost<\/code> <code>[^<]*allocationstate=Enable/);
    expect(step('expand')).toContain('<details class="diff-file" open><summary><code>/etc/network/interfaces</code> <span class="change change-update">update</span>');
    expect(step('expand')).toMatch(/<pre class="diff">.*<span class="add">\+/s);
    expect(step('expand')).not.toContain('Files: unchanged');
  });

  it('a host without a detected OS shows the API 409 message, the fix and a target picker, not an error', () => {
    const message = 'host kvm1 has no hostnet run that detected its OS, so its files cannot be rendered yet; fix: add ?target=<one of el-network-scripts-linux, debian-ifupdown-linux>, or configure the host with hostnet first';
    const html = renderRelabelDiffRefusal({ rolloutId: 'r1', host: 'host-1', status: 409, message });
    expect(html).toContain('<p class="fail" role="alert">host kvm1 has no hostnet run');
    expect(html).toContain('(HTTP 409)');
    expect(html).toContain('<strong>Fix:</strong>');
    expect([...html.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1])).toEqual(['el-network-scripts-linux', 'debian-ifupdown-linux']);
    const wrong = renderRelabelDiffRefusal({ rolloutId: 'r1', host: 'host-1', status: 400, message: 'target "netplan-ovs": this host uses Linux bridges; use one of netplan-linux, debian-ifupdown-linux' });
    expect([...wrong.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1])).toEqual(['debian-ifupdown-linux', 'netplan-linux']);
    expect(wrong).not.toContain('Fix:');
    const missing = renderRelabelDiffRefusal({ rolloutId: 'r1', host: 'nope', status: 404, message: 'host "nope" is not in rollout r1' });
    expect(missing).not.toContain('<form');
  });
});
