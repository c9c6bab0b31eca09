import { flag, integers, mapOf, oneAtom, optionalAtom, optionalInteger, parseOvsdbDatum } from './ovsdb-datum.parser';

// Cells as ovs-vsctl 3.1 printed them (`-f csv --no-headings`, after the CSV's own quoting is undone).
describe('parseOvsdbDatum: ovs-vsctl cells in its default data format', () => {
  it('reads atoms, bare or JSON-quoted, sets and empty values', () => {
    expect(parseOvsdbDatum('native-untagged')).toEqual({ set: ['native-untagged'] });
    expect(parseOvsdbDatum('""')).toEqual({ set: [''] });
    expect(parseOvsdbDatum('"0weird"')).toEqual({ set: ['0weird'] });
    expect(parseOvsdbDatum('[]')).toEqual({ set: [] });
    expect(parseOvsdbDatum('[7]')).toEqual({ set: ['7'] });
    expect(parseOvsdbDatum('[100, 200, 4095]')).toEqual({ set: ['100', '200', '4095'] });
    expect(optionalAtom(parseOvsdbDatum('[]'))).toBeUndefined();
    expect(optionalInteger(parseOvsdbDatum('9000'))).toBe(9000);
    expect(integers(parseOvsdbDatum('[100, 200, 4095]'))).toEqual([100, 200, 4095]);
    expect(oneAtom(parseOvsdbDatum('""'))).toBe('');
  });

  it('reads maps value for value: spaces, commas, "=", quotes, escapes, an empty value and any key', () => {
    expect(mapOf(parseOvsdbDatum('{}'))).toEqual({});
    expect(mapOf(parseOvsdbDatum('{"a:b"=c, e="", k="x y=z", note="to tor-1, rack 3", owner=ops, "sp ace"="1"}'))).toEqual({
      'a:b': 'c',
      e: '',
      k: 'x y=z',
      note: 'to tor-1, rack 3',
      owner: 'ops',
      'sp ace': '1',
    });
    expect(mapOf(parseOvsdbDatum('{cable="a=b \\"c\\"", nl="a\\nb\\\\c\\té\u007f"}'))).toEqual({ cable: 'a=b "c"', nl: 'a\nb\\c\té\u007f' });
    const proto = mapOf(parseOvsdbDatum('{"__proto__"=x}'));
    expect(Object.keys(proto)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
  });

  it('refuses what ovs-vsctl does not print, and values of the wrong shape', () => {
    expect(() => parseOvsdbDatum('')).toThrow('no value at 0');
    expect(() => parseOvsdbDatum('a b')).toThrow('unexpected text at 1');
    expect(() => parseOvsdbDatum('{k="v}')).toThrow('a string without its closing quote');
    expect(() => parseOvsdbDatum('"a\\qb"')).toThrow('a malformed string at 0');
    expect(() => parseOvsdbDatum('[1 2]')).toThrow('"," or "]" expected at 2');
    expect(() => parseOvsdbDatum('{k}')).toThrow('"=" expected at 2');
    expect(() => integers(parseOvsdbDatum('[1, 2x]'))).toThrow('"2x" is not an integer');
    expect(() => oneAtom(parseOvsdbDatum('[]'))).toThrow('one value expected');
    expect(() => mapOf(parseOvsdbDatum('[]'))).toThrow('a map expected');
    expect(() => integers(parseOvsdbDatum('{}'))).toThrow('a set of integers expected');
    // past 2^53 a number rounds: 9007199254740993 would be written back as ...992
    expect(() => integers(parseOvsdbDatum('9007199254740993'))).toThrow('"9007199254740993" is not an integer');
    expect(flag(parseOvsdbDatum('true'))).toBe(true);
    expect(flag(parseOvsdbDatum('false'))).toBe(false);
    expect(() => flag(parseOvsdbDatum('yes'))).toThrow('"yes" is not a boolean');
  });
});
