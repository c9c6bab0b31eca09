import { parseProfileSet } from '@hostnet/intent';
import { siteProfileMapYaml } from '../../libs/intent/test-support/site-profile-map';
import { readSimpleYaml } from '../../libs/intent/src/profile/yaml/simple-yaml.reader';

/**
 * `node dist/test/bench/profile-parse.main.js [hosts]`: parses and validates a generated profile
 * map of that many hosts (default 40,000) the way api and worker load HOSTNET_PROFILES, and prints
 * one JSON line: bytes, hosts, CPU and wall milliseconds of the best of three, and whether the fast
 * YAML path took it. Run outside jest on purpose: jest's module sandbox makes regular expressions
 * several times slower than they are in the apps.
 */
function main(): void {
  const count = Number(process.argv[2] ?? 40_000);
  const text = siteProfileMapYaml(count);
  parseProfileSet(siteProfileMapYaml(100), 'warm-up.yaml');
  let best = { cpuMs: Infinity, wallMs: Infinity };
  let hosts = 0;
  for (let round = 0; round < 3; round++) {
    const wall = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    hosts = Object.keys(parseProfileSet(text, 'site.yaml').hosts).length;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    if (cpuMs < best.cpuMs) best = { cpuMs, wallMs: Number(process.hrtime.bigint() - wall) / 1e6 };
  }
  const fastPath = readSimpleYaml(text).kind === 'value';
  process.stdout.write(`${JSON.stringify({ bytes: Buffer.byteLength(text), hosts, ...best, fastPath })}\n`);
}

main();
