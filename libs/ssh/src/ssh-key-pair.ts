import { utils } from 'ssh2';

/** An SSH key pair in OpenSSH formats: private key text and `ssh-ed25519 AAAA… comment` public line. */
export interface SshKeyPair {
  privateKey: string;
  publicKey: string;
}

/**
 * Generates an ed25519 key pair. ssh2 1.17's generateKeyPairSync('ed25519') emits a malformed key about
 * once in 250 calls (a 31-byte public key whose leading zero byte was dropped; measured here), which then
 * fails to parse on both sides; such pairs are discarded and regenerated.
 */
export function generateEd25519KeyPair(comment = ''): SshKeyPair {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const pair = utils.generateKeyPairSync('ed25519', { comment });
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error)) {
      return { privateKey: pair.private, publicKey: pair.public };
    }
  }
  throw new Error('could not generate a well-formed ed25519 key pair');
}
