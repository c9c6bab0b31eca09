import { BadRequestException, NotFoundException } from '@nestjs/common';
import type { RelabelHostDiffService } from './relabel-host-diff.service';
import type { RelabelRollout } from './relabel-rollout.types';
import { RelabelsController } from './relabels.controller';
import type { RelabelsService } from './relabels.service';
import { applyAction, RolloutHostNotFoundError } from './rollout-transitions';

describe('RelabelsController: a control request\'s reason and give-up', () => {
  function controller(service: Partial<RelabelsService>) {
    return new RelabelsController(service as RelabelsService, {} as RelabelHostDiffService);
  }

  it('keeps the reason of a pause or abort in the rollout\'s reason (what status shows)', async () => {
    const control = jest.fn(async () => ({}) as never);
    await controller({ control }).pause('rl-1', { requestedBy: 'ops', reason: 'change freeze until 18:00' });
    expect(control).toHaveBeenCalledWith('rl-1', 'pause', 'ops', 'change freeze until 18:00');
    const rollout = { id: 'rl-1', state: 'running' } as RelabelRollout;
    applyAction(rollout, 'pause', 'ops', 'change freeze until 18:00');
    expect(rollout.reason).toBe('paused by ops: change freeze until 18:00');
    applyAction(rollout, 'abort', 'ops', 'kvm3 is dead');
    expect(rollout.reason).toBe('aborted by ops: kvm3 is dead');
  });

  it('refuses a reason with start or resume instead of dropping it, naming the field', async () => {
    const control = jest.fn();
    expect(() => controller({ control }).resume('rl-1', { reason: 'fixed kvm2' })).toThrow(BadRequestException);
    expect(() => controller({ control }).start('rl-1', { reason: 'go' })).toThrow(/^body\.reason: start keeps no reason .*fix: leave it out/);
    expect(control).not.toHaveBeenCalled();
  });

  it('gives up a named host with who and why; an unknown host is a 404', async () => {
    const giveUp = jest.fn(async () => ({}) as never);
    await controller({ giveUp }).giveUp('rl-1', 'kvm3', { requestedBy: 'ops', reason: 'host died' });
    expect(giveUp).toHaveBeenCalledWith('rl-1', 'kvm3', 'ops', 'host died');
    const missing = controller({ giveUp: async () => { throw new RolloutHostNotFoundError('host "kvm9" is not in rollout rl-1'); } });
    await expect(missing.giveUp('rl-1', 'kvm9', {})).rejects.toThrow(NotFoundException);
  });
});
