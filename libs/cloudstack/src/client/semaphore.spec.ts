import { Semaphore } from './semaphore';

describe('Semaphore', () => {
  it('never runs more than the limit at once and runs everything', async () => {
    const sem = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const task = async (n: number): Promise<number> => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      return n;
    };
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => sem.run(() => task(n))));
    expect(results).toEqual([1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(2);
    expect(sem.inFlight).toBe(0);
  });

  it('releases the slot when a task fails', async () => {
    const sem = new Semaphore(1);
    await expect(sem.run(async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(sem.run(async () => 'ok')).resolves.toBe('ok');
  });
});
