import { cloudStackVersionOrUndefined } from './cloudstack-version';

describe('cloudStackVersionOrUndefined', () => {
  it.each(['4.19.1.0', '4.20.2.0', '4.22.0.0-SNAPSHOT', '4.21.0.0-shapeblue1', '4.20'])('keeps %s', (v) => {
    expect(cloudStackVersionOrUndefined(v)).toBe(v);
  });

  it.each(['', 'latest', '4', '4.19.1.0\nEVIL', '$(reboot)', '4.19.1.0 ', '4.19.1.0-with space'])('drops %j', (v) => {
    expect(cloudStackVersionOrUndefined(v)).toBeUndefined();
  });

  it('drops an absent version', () => {
    expect(cloudStackVersionOrUndefined(undefined)).toBeUndefined();
  });
});
