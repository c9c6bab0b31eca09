// The deep alias @hostnet/cloudstack/signing/* has no tsconfig "paths" entry yet, hence the relative path.
import { verifySignature } from '../../../../../libs/cloudstack/src/signing/request-signer';
import { parseExpires } from './expires-date.parser';
import type { ApiRequest } from './api-request';

/** Verifies API-key requests the way ApiServer.verifyRequest does. */
export class RequestAuthenticator {
  constructor(
    private readonly apiKey: string,
    private readonly secretKey: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** True when the key is known, the signature matches over every received parameter, and v3 expiry holds. */
  isAuthentic(request: ApiRequest): boolean {
    const apiKey = request.get('apikey');
    const signature = request.get('signature');
    if (!apiKey || !signature || apiKey !== this.apiKey) return false;
    if (request.get('signatureversion') === '3') {
      const expires = request.get('expires');
      const expiry = expires === undefined ? undefined : parseExpires(expires);
      if (!expiry || expiry.getTime() < this.now().getTime()) return false;
    }
    return verifySignature({ ...request.params }, this.secretKey, signature);
  }
}
