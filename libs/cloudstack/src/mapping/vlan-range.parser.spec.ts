import { parseVlanRanges } from './vlan-range.parser';

describe('parseVlanRanges', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['100', [{ start: 100, end: 100 }]],
    ['100-200', [{ start: 100, end: 200 }]],
    ['100-200,300-310', [{ start: 100, end: 200 }, { start: 300, end: 310 }]],
    [' 100 - 200 , 4000 ', [{ start: 100, end: 200 }, { start: 4000, end: 4000 }]],
    ['5000-6000', [{ start: 5000, end: 6000 }]],
  ])('%j', (input, expected) => {
    expect(parseVlanRanges(input)).toEqual(expected);
  });

  it.each([['200-100'], ['abc'], ['100-'], ['1-2-3'], ['100,,200'], ['99999999']])('rejects %j', (input) => {
    expect(() => parseVlanRanges(input)).toThrow(RangeError);
  });
});
