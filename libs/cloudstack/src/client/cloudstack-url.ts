import { CloudStackConfigError } from '../errors/cloudstack-error';

/** The environment variable CloudStack URL problems are reported against. */
export const CLOUDSTACK_URL_VARIABLE = 'CLOUDSTACK_URL';
const EXAMPLE = 'e.g. http://cloudstack.example.com:8080/client/api';

/**
 * Normalizes the management server URL to its API endpoint.
 * Accepted: `http(s)://host[:port]` (we append `/client/api`), `…/client` (we append `/api`) and
 * anything whose path ends in `/client/api` (kept, so a reverse-proxy prefix such as
 * `/cloud/client/api` works). Query strings, fragments and user:password@ are rejected: the API
 * endpoint takes none of them and credentials belong in the API key pair.
 */
export function normalizeCloudStackUrl(raw: string, variable = CLOUDSTACK_URL_VARIABLE): URL {
  const value = raw.trim();
  if (value === '') throw new CloudStackConfigError(variable, `is empty; set it to the API endpoint, ${EXAMPLE}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CloudStackConfigError(variable, `${shown(value)} is not a valid URL; ${EXAMPLE}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CloudStackConfigError(
      variable,
      `${shown(value)} uses ${url.protocol.replace(/:$/, '')}; only http and https are supported, ${EXAMPLE}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new CloudStackConfigError(variable, 'must not contain user:password@; use CLOUDSTACK_API_KEY/CLOUDSTACK_SECRET_KEY');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new CloudStackConfigError(variable, `${shown(value)} must not have a query string or fragment; ${EXAMPLE}`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith('/client/api')) url.pathname = path;
  else if (path.endsWith('/client')) url.pathname = `${path}/api`;
  else url.pathname = `${path}/client/api`;
  return url;
}

function shown(value: string): string {
  // Never echo something that might hold credentials: user:password@, or a query (…&secretkey=…) cut off.
  if (value.includes('@')) return 'the value';
  const query = value.search(/[?#]/);
  return JSON.stringify(query < 0 ? value : `${value.slice(0, query)}?…`);
}
