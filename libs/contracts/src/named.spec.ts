import { namedAs } from './named';

describe('namedAs', () => {
  const items = [{ n: 'Rack 1' }, { n: 'rack 1' }, { n: 'RACK 2' }, { n: undefined }];
  it('takes the exact name first, else the name in any case; several stay several', () => {
    expect(namedAs(items, 'Rack 1', (i) => i.n)).toEqual([{ n: 'Rack 1' }]);
    expect(namedAs(items, 'RACK 1', (i) => i.n)).toEqual([{ n: 'Rack 1' }, { n: 'rack 1' }]);
    expect(namedAs(items, 'rack 2', (i) => i.n)).toEqual([{ n: 'RACK 2' }]);
    expect(namedAs(items, 'rack 3', (i) => i.n)).toEqual([]);
  });
});
