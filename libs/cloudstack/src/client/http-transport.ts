import axios, { AxiosInstance, isAxiosError } from 'axios';
import {
  CloudStackApiError,
  CloudStackNetworkError,
  CloudStackProtocolError,
} from '../errors/cloudstack-error';
import { ApiParams, encodeJavaStyle, signParams } from '../signing/request-signer';
import { ResolvedClientOptions } from './client-options';
import { ResponseBody, readErrorBody, unwrapEnvelope } from './envelope';
import { formatExpires } from './expires';
import { sanitizeParams } from './param-masking';

type TransportSettings = Pick<
  ResolvedClientOptions,
  'endpoint' | 'apiKey' | 'secretKey' | 'method' | 'expiresInMinutes' | 'now'
>;

/**
 * One signed HTTP exchange with CloudStack: adds command/response/apikey (and signatureVersion 3
 * + expires), signs with the shared signer, sends, and turns the answer into the unwrapped
 * `<command>response` object or a typed error. No retries here (see ApiRequester).
 */
export class HttpTransport {
  private readonly http: AxiosInstance;

  constructor(private readonly settings: TransportSettings) {
    this.http = axios.create({
      // We parse ourselves so a non-JSON answer (HTML login page, XML) gives a clear error.
      responseType: 'text',
      transformResponse: (data: unknown) => data,
      validateStatus: () => true,
      // A redirect would drop the POST body (or leak the signed query to another host).
      maxRedirects: 0,
      headers: { Accept: 'application/json', 'User-Agent': 'hostnet' },
    });
  }

  /** Sends `command` with `params` (names lowercased) and returns the unwrapped body. */
  async send(command: string, params: ApiParams, timeoutMs: number): Promise<ResponseBody> {
    const signed = this.sign(command, params);
    const encoded = encodeForm(signed);
    const safeParams = sanitizeParams(params);
    const controller = new AbortController();
    // A hard deadline covering connect, headers and a slowly trickled body alike.
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const url = this.settings.endpoint.toString();
      const response =
        this.settings.method === 'GET'
          ? await this.http.get<string>(`${url}?${encoded}`, { signal: controller.signal })
          : await this.http.post<string>(url, encoded, {
              signal: controller.signal,
              headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
            });
      return interpret(command, safeParams, response.status, response.statusText, response.data);
    } catch (error) {
      // axios' CanceledError (our abort) is an AxiosError too; anything else is a bug, rethrown.
      if (!isAxiosError(error)) throw error;
      const timedOut = controller.signal.aborted || error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT';
      const code = timedOut ? 'ETIMEDOUT' : error.code;
      throw new CloudStackNetworkError({
        command,
        params: safeParams,
        timedOut,
        code,
        message:
          (timedOut
            ? `CloudStack ${command} timed out after ${timeoutMs} ms (${this.settings.endpoint.host})`
            : `CloudStack ${command} could not reach ${this.settings.endpoint.host}: ${code ?? 'network error'}`) +
          '; fix: check the CloudStack API URL hostnet was given (CLOUDSTACK_URL) and that the management server answers there',
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private sign(command: string, params: ApiParams): ApiParams {
    const all: ApiParams = {};
    // Lowercase names make the server's "sort, then lowercase" equal to ours (FACTS §1.1).
    for (const [name, value] of Object.entries(params)) all[name.toLowerCase()] = value;
    all.command = command;
    all.response = 'json';
    all.apikey = this.settings.apiKey;
    if (this.settings.expiresInMinutes !== null) {
      all.signatureversion = '3';
      all.expires = formatExpires(this.settings.now() + this.settings.expiresInMinutes * 60_000);
    }
    all.signature = signParams(all, this.settings.secretKey);
    return all;
  }
}

/** `name=value&…` with values encoded like java.net.URLEncoder (valid for a query and a form). */
function encodeForm(params: ApiParams): string {
  return Object.entries(params)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeJavaStyle(value)}`)
    .join('&');
}

function interpret(
  command: string,
  params: Record<string, string>,
  status: number,
  statusText: string,
  text: string,
): ResponseBody {
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = readErrorBody(body);
  if (status < 200 || status > 299 || error?.errorCode !== undefined) {
    throw new CloudStackApiError({
      command,
      params,
      httpStatus: status >= 200 && status <= 299 ? (error?.errorCode ?? status) : status,
      errorCode: error?.errorCode,
      csErrorCode: error?.csErrorCode,
      errorText: error?.errorText ?? hint(status, statusText),
    });
  }
  if (body === undefined) {
    throw new CloudStackProtocolError(
      `CloudStack ${command} answered HTTP ${status} without a JSON body; is CLOUDSTACK_URL the API endpoint (…/client/api)?`,
      command,
      params,
    );
  }
  return unwrapEnvelope(command, body);
}

/**
 * The status line of an error answer that is not CloudStack's (no errorcode in a JSON body). A 4xx of that kind
 * (404, 405, 415, …) comes from whatever answers at the URL, not from CloudStack's API servlet: say which setting.
 */
function hint(status: number, statusText: string): string {
  const line = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  const notCloudStack = status >= 400 && status <= 499 && status !== 401 && status !== 429;
  return notCloudStack ? `${line}, not a CloudStack answer; fix: CLOUDSTACK_URL may not point at a CloudStack API endpoint: give the management server's …/client/api (e.g. http://mgmt:8080/client/api)` : line;
}
