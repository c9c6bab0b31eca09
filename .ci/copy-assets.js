#!/usr/bin/env node
// tsc emits only JavaScript; the apps also need their non-TypeScript files at run time (simulator
// topologies, the simulated hosts' stand-in tools, the lab's shell scripts, golden files).
const { cpSync, readdirSync, statSync, mkdirSync } = require('node:fs');
const { join, dirname } = require('node:path');

const root = join(__dirname, '..');
const skip = new Set(['node_modules', 'dist', '.git']);

function walk(dir) {
  for (const entry of readdirSync(join(root, dir))) {
    if (skip.has(entry)) continue;
    const rel = join(dir, entry);
    if (statSync(join(root, rel)).isDirectory()) walk(rel);
    else if (!entry.endsWith('.ts')) {
      mkdirSync(dirname(join(root, 'dist', rel)), { recursive: true });
      cpSync(join(root, rel), join(root, 'dist', rel), { preserveTimestamps: true });
    }
  }
}
for (const top of ['apps', 'libs', 'test']) walk(top);
