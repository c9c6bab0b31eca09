import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { ParsedKey } from 'ssh2';

/** The digest ssh2 signs and verifies with when the protocol names none, by key type (its keyParser's own). */
const DEFAULT_DIGEST: Readonly<Record<string, string | null>> = {
  'ssh-ed25519': null,
  'ssh-rsa': 'sha1',
  'ecdsa-sha2-nistp256': 'sha256',
  'ecdsa-sha2-nistp384': 'sha384',
  'ecdsa-sha2-nistp521': 'sha512',
};

/**
 * The key with its halves decoded once. ssh2 hands every sign and verify the key's PEM text, which
 * OpenSSL decodes again each time: for the worker's ed25519 key that was 0.7 ms of a 0.75 ms signature,
 * on every connect (9% of the worker's CPU at 300 hosts). Signatures are byte for byte ssh2's: the same
 * call with the key already decoded. A key type ssh2 knows but this table does not stays as it is.
 */
export function withDecodedKey(key: ParsedKey): ParsedKey {
  const digest = DEFAULT_DIGEST[key.type];
  if (digest === undefined) return key;
  const publicKey = createPublicKey(key.getPublicPEM());
  const privateKey: KeyObject | undefined = key.isPrivateKey() ? createPrivateKey(key.getPrivatePEM()) : undefined;
  // ssh2 recognises a parsed key by a symbol it reads through the prototype, so the key's own methods stay
  return Object.create(key, {
    sign: {
      value: (data: Buffer, algo?: string): Buffer | Error => {
        if (!privateKey) return new Error('No private key available');
        try {
          return sign(algo || digest, data, privateKey);
        } catch (error) {
          return error as Error;
        }
      },
    },
    verify: {
      value: (data: Buffer, signature: Buffer, algo?: string): boolean | Error => {
        try {
          return verify(algo || digest, data, publicKey, signature);
        } catch (error) {
          return error as Error;
        }
      },
    },
  }) as ParsedKey;
}
