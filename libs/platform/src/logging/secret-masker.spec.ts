import { SecretMasker } from './secret-masker';

describe('SecretMasker', () => {
  const masker = new SecretMasker(['s3cr3t-value', 'abc', undefined]);

  it('masks configured secret values wherever they appear', () => {
    expect(masker.mask('error talking with key s3cr3t-value!')).toBe('error talking with key ***!');
  });

  it('masks signatures and api keys in URLs', () => {
    expect(masker.mask('GET /client/api?command=listZones&apikey=AKEY&signature=Zm9v%3D')).toBe(
      'GET /client/api?command=listZones&apikey=***&signature=***',
    );
  });

  it('masks PEM private keys', () => {
    const pem = '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----';
    expect(masker.mask(`key: ${pem} end`)).toBe('key: ***private key*** end');
  });

  it('ignores values too short to mask without destroying the text', () => {
    expect(masker.mask('abc def')).toBe('abc def');
  });
});
