import { maskUrl, sanitizeParams } from './param-masking';

describe('param masking', () => {
  it('drops credentials and plumbing, masks passwords, keeps the rest', () => {
    expect(
      sanitizeParams({
        command: 'addHost',
        response: 'json',
        apiKey: 'AK',
        signature: 'SIG',
        secretkey: 'SK',
        password: 'hunter2',
        zoneid: 'z1',
      }),
    ).toEqual({ password: '***', zoneid: 'z1' });
  });

  it('masks credential query parameters in URLs whatever their case', () => {
    expect(maskUrl('http://cs/client/api?command=listZones&apiKey=AK&signature=a%2Fb&zoneid=1')).toBe(
      'http://cs/client/api?command=listZones&apiKey=***&signature=***&zoneid=1',
    );
  });
});
