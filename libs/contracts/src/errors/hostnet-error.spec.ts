import { HostnetError, isPermanentError } from './hostnet-error';

class PermanentProbe extends HostnetError {
  readonly permanent = true;
}

class TransientProbe extends HostnetError {
  readonly permanent = false;
}

describe('HostnetError', () => {
  it('names itself after the concrete class and keeps the message', () => {
    const error = new PermanentProbe('field x: fix it');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PermanentProbe');
    expect(error.message).toBe('field x: fix it');
  });

  it('stops retries only for our errors flagged permanent', () => {
    expect(isPermanentError(new PermanentProbe('p'))).toBe(true);
    expect(isPermanentError(new TransientProbe('t'))).toBe(false);
  });

  it('treats anything else as transient, whatever its name or fields claim', () => {
    const lookAlike = Object.assign(new Error('unsupported'), { name: 'PermanentProbe', permanent: true });
    expect(isPermanentError(lookAlike)).toBe(false);
    expect(isPermanentError({ permanent: true })).toBe(false);
    expect(isPermanentError('boom')).toBe(false);
    expect(isPermanentError(undefined)).toBe(false);
  });
});
