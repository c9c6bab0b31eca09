import { parseFlags } from './cli-flags';

describe('parseFlags', () => {
  it('takes --name value and --name=value, and switches without a value', () => {
    expect(parseFlags(['--zone', 'z1', '--host=kvm1', '--json'], ['zone', 'host'], ['json'])).toEqual({ zone: 'z1', host: 'kvm1', json: 'true' });
  });

  it('suggests the option a typo most likely meant, and lists them all', () => {
    expect(() => parseFlags(['--hosts', 'kvm1'], ['zone', 'host'])).toThrow('unknown option --hosts; did you mean --host? (allowed: --zone, --host)');
    expect(() => parseFlags(['--zoen', 'z'], ['zone', 'host'])).toThrow(/unknown option --zoen; did you mean --zone\?/);
    expect(() => parseFlags(['--verbose'], ['zone', 'host'])).toThrow('unknown option --verbose (allowed: --zone, --host)');
  });
});
