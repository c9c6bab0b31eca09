import { utils, type ParsedKey } from 'ssh2';
import { withDecodedKey } from './decoded-key';

function parsed(text: string): ParsedKey {
  const key = utils.parseKey(text);
  if (key instanceof Error) throw key;
  return Array.isArray(key) ? key[0]! : key;
}

describe('withDecodedKey', () => {
  const data = Buffer.from('session id and userauth request');
  const pairs = {
    ed25519: utils.generateKeyPairSync('ed25519'),
    rsa: utils.generateKeyPairSync('rsa', { bits: 2048 }),
    ecdsa: utils.generateKeyPairSync('ecdsa', { bits: 256 }),
  };

  it.each(Object.keys(pairs) as (keyof typeof pairs)[])('%s: signs and verifies exactly as ssh2 does with the PEM text', (type) => {
    const original = parsed(pairs[type].private);
    const decoded = withDecodedKey(original);
    const algos = type === 'rsa' ? [undefined, 'sha256', 'sha512'] : [undefined];
    for (const algo of algos) {
      const signature = decoded.sign(data, algo) as Buffer;
      expect(signature).toBeInstanceOf(Buffer);
      expect(original.verify(data, signature, algo)).toBe(true);
      const decodedPublic = withDecodedKey(parsed(pairs[type].public));
      expect(decodedPublic.verify(data, original.sign(data, algo) as Buffer, algo)).toBe(true);
      // deterministic schemes give the very same bytes (ECDSA signatures are randomised)
      if (type !== 'ecdsa') expect(signature.equals(original.sign(data, algo) as Buffer)).toBe(true);
    }
    const tampered = Buffer.from(data);
    tampered[0] ^= 1;
    expect(withDecodedKey(parsed(pairs[type].public)).verify(tampered, decoded.sign(data) as Buffer)).toBe(false);
  });

  it('is still the parsed key to ssh2: parseKey hands it back as is, with its type and public blob', () => {
    const original = parsed(pairs.ed25519.private);
    const decoded = withDecodedKey(original);
    expect(utils.parseKey(decoded as unknown as string)).toBe(decoded);
    expect(decoded.type).toBe('ssh-ed25519');
    expect(decoded.getPublicSSH().equals(original.getPublicSSH())).toBe(true);
    expect(decoded.isPrivateKey()).toBe(true);
  });

  it('verifies with a public key alone and, like ssh2, answers an Error when asked to sign with one', () => {
    const decoded = withDecodedKey(parsed(pairs.ed25519.public));
    const signature = parsed(pairs.ed25519.private).sign(data) as Buffer;
    expect(decoded.verify(data, signature)).toBe(true);
    expect(decoded.sign(data)).toBeInstanceOf(Error);
  });

  it('leaves a key OpenSSL will not decode to ssh2\'s own sign and verify, and never throws', () => {
    const original = parsed(pairs.ed25519.private);
    const refused = Object.create(original, { getPrivatePEM: { value: () => '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n' } }) as ParsedKey;
    let decoded: ParsedKey | undefined;
    expect(() => (decoded = withDecodedKey(refused))).not.toThrow();
    expect(decoded).toBe(refused);
    expect((decoded!.sign(data) as Buffer).equals(original.sign(data) as Buffer)).toBe(true);
  });
});
