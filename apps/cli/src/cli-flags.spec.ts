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

  it('answers a flag that would carry a secret with the variable it belongs in, never echoing the value', () => {
    expect(() => parseFlags(['--token', 's3cret'], ['zone'])).toThrow('--token is not a flag: export API_TOKEN instead (a flag lands in shell history and in ps)');
    expect(() => parseFlags(['--secret-key=s3cret'], ['zone'])).toThrow(/^(?!.*s3cret)--secret-key is not a flag: export CLOUDSTACK_SECRET_KEY instead/);
  });
});
