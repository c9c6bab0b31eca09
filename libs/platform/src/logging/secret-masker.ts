/**
 * Removes secrets from any text before it is logged: the configured secret values themselves and
 * the shapes secrets travel in (CloudStack signatures and api keys in URLs, PEM private keys).
 */
export class SecretMasker {
  private readonly values: string[];

  constructor(secretValues: (string | undefined)[]) {
    // Longest first, so a secret that contains another is masked whole.
    this.values = secretValues
      .filter((v): v is string => typeof v === 'string' && v.length >= 4)
      .sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    let out = text;
    for (const value of this.values) out = out.split(value).join('***');
    return out
      .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '***private key***')
      .replace(/\b(signature|apikey|api_key|secretkey|secret_key|password|sessionkey)=([^&\s"']+)/gi, '$1=***');
  }
}
