import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** hostnet's version, from the package.json above this file (in the source tree and in dist alike). */
export function hostnetVersion(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'hostnet' && typeof pkg.version === 'string') return pkg.version;
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
