import { renderRolloutCard } from './rollout-card.renderer';
import { renderRolloutPanel, renderRolloutRegion } from './rollout-panel.renderer';
import { viewRollout } from './rollout-view';
import { EVIL, hostStep as step, midContractRollout as midContract, plannedRollout as planned, STEP_AT as at } from './test-support/rollout-records';

describe('rollout view', () => {
  it('keeps the plan order of the waves (canary first) and counts each wave; failed and in-flight hosts come first in theirs', () => {
    const { rollout, plan } = midContract();
    const card = viewRollout(rollout, plan);
    expect(card.waves.map((w) => w.label)).toEqual(['Canary 1', 'Wave 2', 'Wave 3']);
    expect(plan.waves[0]!.steps.map((s) => s.hostName)).toEqual(['kvm1']);
    expect(card.waves[0]!.hosts.map((h) => [h.hostName, h.state])).toEqual([['kvm1', 'contracted']]);
    const second = card.waves[1]!;
    expect(plan.waves[1]!.steps.map((s) => s.hostId)).toEqual(['host-2', 'host-3']);
    expect(second.hosts.map((h) => [h.hostId, h.state, h.detail])).toEqual([
      ['host-3', 'failed', 'contract'],
      ['host-2', 'in-flight', 'contract → new (maintenance)'],
    ]);
    expect(second.counts).toEqual({ hosts: 2, expanded: 2, contracted: 0, failed: 1, inFlight: 1 });
    expect(card.progress).toMatchObject({ hosts: 4, expanded: 4, contracted: 1, failed: 1, inFlight: ['kvm2'] });
    expect(card.failures).toEqual([
      { hostId: 'host-3', hostName: EVIL, step: 'contract', runStatus: 'rolled-back', runId: 'run-3', reason: `verification failed: ${EVIL}`, at, recovered: false, rollback: false },
    ]);
    expect(card.active).toBe(true);
    expect(card.rollback).toBeUndefined();
  });

  it('says a failed host verified since when a resumed rollout retried it', () => {
    const { rollout, plan } = midContract();
    rollout.hosts['host-3']!.steps.push(step({ result: 'verified', endedAt: at }));
    rollout.hosts['host-3']!.layout = 'new';
    const card = viewRollout(rollout, plan);
    expect(card.failures[0]).toMatchObject({ hostId: 'host-3', recovered: true });
    expect(card.waves[1]!.hosts.find((h) => h.hostId === 'host-3')!.state).toBe('contracted');
  });

  it('follows an abort through the rollback phases with the hosts back on the old layout', () => {
    const { rollout, plan } = midContract();
    Object.assign(rollout, { state: 'aborting', phase: 'rollback-flip', reason: 'abortAfter (1) reached: kvm3 failed' });
    rollout.hosts['host-1']!.layout = 'both';
    rollout.hosts['host-4']!.layout = 'old';
    const card = viewRollout(rollout, plan);
    expect(card.rollback).toEqual({ step: 2, steps: 5, phase: 'rollback-flip', restored: 1, flipped: 1, frozen: 0 });
    const html = renderRolloutCard(card);
    expect(html).toContain('<strong>Rollback</strong>: step 2 of 5 (rollback-flip)');
    expect(html).toContain('1/4 hosts back on the old layout · 1 label still flipped · 0 hosts still disabled');
    expect(html).toContain('<p class="reason">abortAfter (1) reached: kvm3 failed</p>');
  });
});

describe('rollout card and panel', () => {
  it('escapes hostile host names and reasons everywhere they show', () => {
    const { rollout, plan } = midContract();
    rollout.request.requestedBy = EVIL;
    const html = renderRolloutCard(viewRollout(rollout, plan));
    expect(html).not.toContain('<script>');
    // host name in the failures table and its chip, the reason, who asked
    expect(html.split('&lt;script&gt;').length - 1).toBe(4);
  });

  it('lists failed hosts before the waves, with their step, run and reason', () => {
    const { rollout, plan } = midContract();
    const html = renderRolloutCard(viewRollout(rollout, plan));
    expect(html.indexOf('<caption>Failed hosts</caption>')).toBeGreaterThan(0);
    expect(html.indexOf('<caption>Failed hosts</caption>')).toBeLessThan(html.indexOf('class="waves"'));
    expect(html).toContain('<td>rolled-back<br><small>run run-3</small></td><td class="reason">verification failed: &quot;&gt;&lt;script&gt;');
    expect(html).toContain('<ul class="changes" aria-label="Label changes"><li>Physical Network 2 · Public: <code>cloudbr1</code> → <code>cloudbr5</code></li></ul>');
    expect(html).toContain('<progress max="4" value="1"');
    expect(html).toContain('<strong>1</strong> in flight (<span class="in-flight">kvm2</span>)');
    expect(html).toContain(
      '<li class="chip host-in-flight" title="host-2"><button type="button" class="open-diff" id="rollout-rl-spec-host-host-2" data-relabel-diff="rl-spec" data-host="host-2" aria-haspopup="dialog">kvm2</button> <span class="chip-state">in-flight: contract → new (maintenance)</span></li>',
    );
    // a failed host's name opens its relabel diff too
    expect(html).toContain('<th scope="row"><button type="button" class="open-diff" id="rollout-rl-spec-failed-host-3" data-relabel-diff="rl-spec" data-host="host-3" aria-haspopup="dialog">&quot;&gt;&lt;script&gt;');
    expect(html).toMatch(/<th scope="col">Wave<\/th>/);
  });

  it('opens the waves of a rollout in flight only, and ids its parts from the rollout id', () => {
    const running = midContract();
    const done = planned();
    Object.assign(done.rollout, { id: 'rl-old', state: 'done', phase: 'finished' });
    const panel = renderRolloutPanel([viewRollout(running.rollout, running.plan), viewRollout(done.rollout, done.plan)]);
    expect(panel.html).toContain('<details class="waves" id="rollout-rl-spec-waves" open><summary id="rollout-rl-spec-waves-toggle">');
    expect(panel.html).toContain('<details class="waves" id="rollout-rl-old-waves"><summary');
    expect(panel.html.indexOf('rl-spec')).toBeLessThan(panel.html.indexOf('rl-old'));
    expect(panel.status).toBe('rollout rl-spec in zone zone1 running (phase contract): 1 of 4 hosts contracted, 1 failed, in flight: kvm2');
    const region = renderRolloutRegion(panel);
    expect(region).toContain('<p id="relabel-status" role="status" aria-live="polite">rollout rl-spec in zone zone1 running');
    expect(region).toContain('<h2 id="relabel-title">Relabel rollouts</h2>');
  });

  it('shows the rest of a rollout whose plan could not be read, and says when there is none', () => {
    const { rollout } = planned();
    expect(renderRolloutCard(viewRollout(rollout))).toContain('The plan of this rollout could not be read');
    expect(renderRolloutPanel([], '<z>')).toEqual({ html: expect.stringContaining('No relabel rollout in zone &lt;z&gt; yet'), status: 'no relabel rollout in zone <z>' });
  });
});
