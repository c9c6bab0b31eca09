import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { siteProfileMapYaml } from '../../../test-support/site-profile-map';
import { readSimpleYaml } from './simple-yaml.reader';

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

/** Texts the reader must either read exactly as the `yaml` package does, or leave to it. */
const CORPUS = [
  'a: 1\nb: -2\nc: +3\nd: 0o17\ne: 0x1F\nf: 1.5\ng: .5\nh: 1e3\ni: -.inf\nj: .NaN\nk: ~\nl: null\nm: Null\nn:\no: true\np: False\nq: TRUE\nr: yes\ns: 1_000\nt: 0b11\nu: 08\nv: 1.\nw: "1"\nx: \'true\'\n',
  'key: value with spaces\nurl: http://x.example/a#b\nmac: 00:0c:29:b5:59:32\nmode: 802.3ad\nhash: layer3+4\nempty: ""\nq: \'it\'\'s\'\n',
  'a: x # comment\nb: "x # not a comment" # comment\nc: \'y # no\'\nd: it\'s # yes\ne: x#y\n# full line\n   # indented comment\n',
  'list:\n  - a\n  - b\n  -\n  - - nested\n',
  'list:\n- a\n- b\nnext: 1\n',
  'seq:\n  - name: bond0\n    members: [eth0, eth1]\n  -   name: spaced\n      mode: x\n  - key:\n      deep: 1\n',
  'flow: { a: 1, b: [x, "y z", \'w\'], c: {}, d: [], e: { f: { g: h } } }\ntrail: [a, b, ]\nmac: { eth0: 00:0C:29:B4:59:56 }\n',
  '---\nroot: 1\n',
  'a: |\n  block\n',
  'a: >\n  folded\n',
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  'a: multi\n  line\n',
  'a: "multi\n  line"\n',
  '? complex\n: value\n',
  'a: [1,\n  2]\n',
  'a: 1\n---\nb: 2\n',
  '%YAML 1.2\n---\na: 1\n',
  '1: one\n',
  '"quoted key": 1\n\'single\': 2\n',
  'a: b: c\n',
  'a:\n\tb: 1\n',
  'a: x \'y # z\' w\n',
  'a: "esc \\" \\\\ \\n \\u00e9"\nb: "\\x41"\n',
  'a: {b:1}\n',
  'a: [- x]\n',
  '__proto__: 1\n',
  '<<: { a: 1 }\n',
  'a: @x\n',
  'a: `x`\n',
  '- top\n- level\n',
  '',
  '# only a comment\n',
  'a:\n  b: 1\n c: 2\n',
  'a: 1\r\nb: 2\r\n',
  '\uFEFFa: 1\n',
  'a: [x, y] z\n',
  'a: "x" y\n',
  'a: {x: 1} # c\n',
  'a: [ "a,b", \'c]d\' ]\n',
  'a: -x\nb: -1\nc: - x\n',
  'a: :x\n',
  'a: ?x\n',
  `${'k'.repeat(1024)}: at the limit\n`,
  `${'k'.repeat(1025)}: over the limit\n`,
  `"${'k'.repeat(1023)}": quoted, over the limit\n`,
  `- ${'k'.repeat(1025)}: in a sequence\n`,
  `a: { ${'k'.repeat(1025)}: in a flow }\n`,
];

describe('readSimpleYaml', () => {
  it.each(CORPUS.map((text) => [JSON.stringify(text).slice(0, 60), text]))('reads %s as the yaml package does, or steps aside', (_label, text) => {
    const fast = readSimpleYaml(text);
    let expected: unknown;
    let yamlFails = false;
    try {
      expected = parse(text, { uniqueKeys: true });
    } catch {
      yamlFails = true;
    }
    if (fast.kind === 'value') {
      expect(yamlFails).toBe(false);
      expect(fast.value).toEqual(expected);
    } else {
      expect(fast.kind).toBe('unsupported');
    }
  });

  it('steps aside for implicit keys longer than 1024 characters, which the yaml package refuses', () => {
    expect(readSimpleYaml(`${'k'.repeat(1024)}: 1\n`)).toEqual({ kind: 'value', value: { ['k'.repeat(1024)]: 1 } });
    expect(readSimpleYaml(`${'k'.repeat(1025)}: 1\n`)).toEqual({ kind: 'unsupported', reason: 'line 1: key longer than 1024 characters' });
    expect(readSimpleYaml(`a:\n  - ${'k'.repeat(1025)}: 1\n`)).toEqual({ kind: 'unsupported', reason: 'line 2: key longer than 1024 characters' });
    expect(() => parse(`${'k'.repeat(1025)}: 1\n`)).toThrow(/at most 1024 chars/);
  });

  it.each(readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')))('reads the shipped example %s itself, exactly', (name) => {
    const text = readFileSync(join(EXAMPLES, name), 'utf8');
    const fast = readSimpleYaml(text);
    expect(fast.kind).toBe('value');
    expect(fast.kind === 'value' && fast.value).toEqual(parse(text));
  });

  it('reads a generated site map exactly', () => {
    const text = siteProfileMapYaml(500);
    const fast = readSimpleYaml(text);
    expect(fast.kind === 'value' && fast.value).toEqual(parse(text));
  });

  it.each([
    ['a block mapping', 'a: 1\nb:\n  c: 1\n  c: 2\n', 'c', 4],
    ['a flow mapping', 'a: { x: 1, x: 2 }\n', 'x', 1],
    ['quoted and plain spellings of one key', 'a: 1\n"a": 2\n', 'a', 2],
  ])('reports a duplicate key in %s with its line', (_what, text, key, line) => {
    expect(readSimpleYaml(text)).toMatchObject({ kind: 'duplicate', key, line });
  });
});
