import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadExampleTopology } from '../test-support/reference-examples';
import { lintZone } from './lint/zone-lint';
import { parseProfileSet } from './profile/profile-set.parser';

/** The README's sample profile file: what a reader copies first must lint clean against the reference topology. */
describe('libs/intent/README.md sample profile', () => {
  it('lints without errors against examples/reference-topology.json', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const sample = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(sample).toContain('version: 1');
    const profileSet = parseProfileSet(sample!, 'libs/intent/README.md');
    const errors = lintZone({ topology: loadExampleTopology('reference-topology.json'), profileSet }).filter((f) => f.severity === 'error');
    expect(errors.map((f) => f.message)).toEqual([]);
  });
});
