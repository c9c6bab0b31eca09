/**
 * BENCH_CPU_PROF=DIR: the node flags that make each process the bench starts (worker, simulated zone,
 * baseline) write a V8 CPU profile into DIR when it stops (open it in Chrome's DevTools or speedscope).
 * Node refuses --cpu-prof in NODE_OPTIONS, so the bench passes it to every child itself.
 */
export function cpuProfileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}
