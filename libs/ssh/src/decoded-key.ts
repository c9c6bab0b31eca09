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
 * The key decoded once: a private key for signing, a public one for verifying. ssh2 hands every sign and
 * verify the key's PEM text, which OpenSSL decodes again each time: for the worker's ed25519 key that was
 * 0.7 ms of a 0.75 ms signature, on every connect (9% of the worker's CPU at 300 hosts). Signatures are
 * byte for byte ssh2's: the same call with the key already decoded. A key type this table does not know,
 * or one OpenSSL will not decode, stays as it is (ssh2 then answers its own Error, as before).
 */
export function withDecodedKey(key: ParsedKey): ParsedKey {
  const digest = DEFAULT_DIGEST[key.type];
  if (digest === undefined) return key;
  let privateKey: KeyObject | undefined;
  let publicKey: KeyObject | undefined;
  try {
    // a private key is only ever signed with, a public one only verified with
    if (key.isPrivateKey()) privateKey = createPrivateKey(key.getPrivatePEM());
    else publicKey = createPublicKey(key.getPublicPEM());
  } catch {
    // a key ssh2 parsed but OpenSSL refuses: ssh2's own sign/verify answer the Error, as before
    return key;
  }
  // ssh2 recognises a parsed key by a symbol it reads through the prototype, so the key's own methods stay
  return Object.create(key, {
    sign: {
      value: (data: Buffer, algo?: string): Buffer | Error => {
        if (!privateKey) return key.sign(data, algo);
        try {
          return sign(algo || digest, data, privateKey);
        } catch (error) {
          return error as Error;
        }
      },
    },
    verify: {
      value: (data: Buffer, signature: Buffer, algo?: string): boolean | Error => {
        if (!publicKey) return key.verify(data, signature, algo);
        try {
          return verify(algo || digest, data, publicKey, signature);
        } catch (error) {
          return error as Error;
        }
      },
    },
  }) as ParsedKey;
}
