import { utils } from 'ssh2';
import { generateEd25519KeyPair } from './ssh-key-pair';

describe('generateEd25519KeyPair', () => {
  it('only returns pairs both sides can parse (ssh2 alone fails about 1 in 250)', () => {
    for (let i = 0; i < 1500; i += 1) {
      const { privateKey, publicKey } = generateEd25519KeyPair('t');
      const parsed = utils.parseKey(publicKey);
      expect(parsed).not.toBeInstanceOf(Error);
      expect(utils.parseKey(privateKey)).not.toBeInstanceOf(Error);
      expect((parsed as { getPublicSSH(): Buffer }).getPublicSSH().length).toBe(51);
    }
  });
});
