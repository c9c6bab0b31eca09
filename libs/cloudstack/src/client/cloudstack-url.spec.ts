import { CloudStackConfigError } from '../errors/cloudstack-error';
import { normalizeCloudStackUrl } from './cloudstack-url';

describe('normalizeCloudStackUrl', () => {
  it.each([
    ['http://cs.example:8080', 'http://cs.example:8080/client/api'],
    ['http://cs.example:8080/', 'http://cs.example:8080/client/api'],
    ['https://cs.example/client', 'https://cs.example/client/api'],
    ['http://cs.example:8080/client/api', 'http://cs.example:8080/client/api'],
    ['http://cs.example:8080/client/api/', 'http://cs.example:8080/client/api'],
    ['https://proxy.example/cloud/client/api', 'https://proxy.example/cloud/client/api'],
    [' http://127.0.0.1:8080 ', 'http://127.0.0.1:8080/client/api'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeCloudStackUrl(input).toString()).toBe(expected);
  });

  it.each([
    ['', /CLOUDSTACK_URL: is empty/],
    ['cs.example:8080', /CLOUDSTACK_URL: .*only http and https/],
    ['not a url', /CLOUDSTACK_URL: "not a url" is not a valid URL/],
    ['ftp://cs.example', /only http and https/],
    ['http://cs.example/client/api?command=listZones', /query string/],
    ['http://admin:pw@cs.example', /must not contain user:password@/],
  ])('rejects %j naming CLOUDSTACK_URL', (input, message) => {
    expect(() => normalizeCloudStackUrl(input)).toThrow(CloudStackConfigError);
    expect(() => normalizeCloudStackUrl(input)).toThrow(message);
  });

  it('never echoes a URL that holds credentials', () => {
    expect(() => normalizeCloudStackUrl('http://admin:s3cret@')).toThrow(/^(?!.*s3cret)/s);
  });

  it('never echoes a query string, where a pasted API URL carries apikey and secretkey', () => {
    const pasted = 'http://127.0.0.1:1/client/api?apikey=k1&secretkey=S3CRET-value#frag';
    expect(() => normalizeCloudStackUrl(pasted)).toThrow('CLOUDSTACK_URL: "http://127.0.0.1:1/client/api?…" must not have a query string or fragment');
    expect(() => normalizeCloudStackUrl(pasted)).toThrow(/^(?!.*(S3CRET|k1))/s);
    expect(() => normalizeCloudStackUrl('not a url?secretkey=S3CRET')).toThrow(/^(?!.*S3CRET)/s);
  });
});
