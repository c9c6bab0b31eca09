import * as expectedState from '@hostnet/intent/live/expected-live-state';
import { GOLDEN_CASES } from '../test/fixtures/reference-intents';
import { renderHost } from './render-host';

jest.mock('@hostnet/intent/live/expected-live-state', () => {
  const actual = jest.requireActual<typeof import('@hostnet/intent/live/expected-live-state')>('@hostnet/intent/live/expected-live-state');
  return { ...actual, expectedLiveState: jest.fn(actual.expectedLiveState) };
});
const derive = expectedState.expectedLiveState as jest.MockedFunction<typeof expectedState.expectedLiveState>;
const { expectedLiveState } = jest.requireActual<typeof expectedState>('@hostnet/intent/live/expected-live-state');

describe('renderHost from a live state', () => {
  // The worker renders on every run: each guard, plan and activation deriving the intent's expected live state
  // again was about 2% of its CPU in a no-op re-run.
  it.each(GOLDEN_CASES)('derives the expected live state once per render, a re-run on a configured host included ($target)', ({ target, intent }) => {
    const live = expectedLiveState(intent);
    const previousFiles = new Map(renderHost(intent, target).files.map((f) => [f.path, { content: f.content }]));
    derive.mockClear();
    expect(renderHost(intent, target, { live, previous: live, previousFiles }).refusal).toBeUndefined();
    expect(derive).toHaveBeenCalledTimes(1);
  });

  it.each(GOLDEN_CASES)('derives it once for a first run too, from a host without hostnet ($target)', ({ target, intent }) => {
    const live = { ...expectedLiveState(intent), addresses: [], routes: [] };
    derive.mockClear();
    renderHost(intent, target, { live, previousFiles: new Map() });
    expect(derive).toHaveBeenCalledTimes(1);
  });
});
