import { CloudStackApiError } from './cloudstack-error';
import { isUnknownEntityError } from './unknown-entity';

const answer = (httpStatus: number, errorText: string) =>
  new CloudStackApiError({ command: 'listHosts', params: {}, httpStatus, errorCode: httpStatus, csErrorCode: 4350, errorText });
const UNKNOWN_CLUSTER =
  'Unable to execute API command listhosts due to invalid value. Invalid parameter clusterid value=abc due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.';

describe('isUnknownEntityError', () => {
  it("recognises CloudStack's 431 for an id that names nothing, for that parameter only", () => {
    expect(isUnknownEntityError(answer(431, UNKNOWN_CLUSTER), 'clusterid')).toBe(true);
    expect(isUnknownEntityError(answer(431, UNKNOWN_CLUSTER), 'id')).toBe(false);
  });

  it('is false for other errors', () => {
    expect(isUnknownEntityError(answer(530, UNKNOWN_CLUSTER), 'clusterid')).toBe(false);
    expect(isUnknownEntityError(answer(431, '"page" parameter is required when "pagesize" is specified'), 'clusterid')).toBe(false);
    expect(isUnknownEntityError(new Error(UNKNOWN_CLUSTER), 'clusterid')).toBe(false);
  });
});
