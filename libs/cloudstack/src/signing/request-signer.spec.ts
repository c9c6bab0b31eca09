import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalString, encodeJavaStyle, signParams, verifySignature } from './request-signer';

interface Vector {
  secret: string;
  params: Record<string, string>;
  canonical: string;
  signature: string;
}
const samples = join(__dirname, '../../test/fixtures/samples');
const { vectors } = JSON.parse(readFileSync(join(samples, 'signature_test_vectors.json'), 'utf8')) as {
  vectors: Vector[];
};

describe('request signer', () => {
  it.each(vectors.map((v) => [v.signature, v] as const))('reproduces the published vector %s', (_sig, v) => {
    expect(canonicalString(v.params)).toBe(v.canonical);
    expect(signParams(v.params, v.secret)).toBe(v.signature);
    expect(verifySignature(v.params, v.secret, v.signature)).toBe(true);
  });

  it.each([
    ['a b', 'a%20b'],
    ["~!'()*", '%7E%21%27%28%29*'],
    ['a+b', 'a%2Bb'],
    ['é', '%C3%A9'],
    ['', ''],
    ['A-Z_a.z', 'A-Z_a.z'],
  ])('encodes %j like java.net.URLEncoder with + as %%20', (raw, encoded) => {
    expect(encodeJavaStyle(raw)).toBe(encoded);
  });

  it('sorts names case-sensitively before lowercasing, as the server does', () => {
    // 'Z' < 'a' in code-unit order, so Zeta comes first although lowercased it would sort last.
    expect(canonicalString({ alpha: '1', Zeta: '2' })).toBe('zeta=2&alpha=1');
  });

  it('leaves the signature parameter out whatever its case', () => {
    expect(canonicalString({ command: 'x', Signature: 'abc' })).toBe('command=x');
  });

  it('rejects a tampered request', () => {
    const sig = signParams({ command: 'listZones' }, 'secret');
    expect(verifySignature({ command: 'listHosts' }, 'secret', sig)).toBe(false);
    expect(verifySignature({ command: 'listZones' }, 'other', sig)).toBe(false);
  });
});
