import { SettledProgress } from './settled-progress';

describe('SettledProgress', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('publishes a stage once it has lasted the settle time, and only the stage the run is in', () => {
    const published: string[] = [];
    const progress = new SettledProgress((s) => published.push(s), 250);
    progress.stage('facts');
    jest.advanceTimersByTime(100);
    progress.stage('apply');
    jest.advanceTimersByTime(249);
    expect(published).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(published).toEqual(['apply']);
    progress.stage('verify');
    jest.advanceTimersByTime(1000);
    expect(published).toEqual(['apply', 'verify']);
  });

  it('never publishes a stage the run ended in before it settled', () => {
    const published: string[] = [];
    const progress = new SettledProgress((s) => published.push(s), 250);
    progress.stage('facts');
    jest.advanceTimersByTime(200);
    progress.stop();
    jest.advanceTimersByTime(1000);
    expect(published).toEqual([]);
  });
});
