import { asBackgroundWork, inBackgroundWork, routedByWork } from './background-work';

describe('routedByWork', () => {
  const client = (name: string) => ({ name, whoAmI() { return this.name; } });
  const routed = routedByWork(client('request'), client('background'));

  it('sends a call outside background work to the request-path client', () => {
    expect(routed.whoAmI()).toBe('request');
    expect(inBackgroundWork()).toBe(false);
  });

  it('sends a call in background work, and in what it schedules, to the background client', async () => {
    expect(asBackgroundWork(() => routed.whoAmI())).toBe('background');
    const later = await asBackgroundWork(() => new Promise((r) => setTimeout(() => r(routed.whoAmI()), 1)));
    expect(later).toBe('background');
    expect(routed.whoAmI()).toBe('request');
  });
});
