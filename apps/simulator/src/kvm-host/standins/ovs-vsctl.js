'use strict';
// Stand-in for ovs-vsctl over .sim/live-state.json (the model is ovs-render.js). Several commands may be
// chained with `--`, as with the real tool; mutations apply at once.
const { runCommand } = require('./ovs-render');

/** The stand-in: (host helpers, argv, io) → exit code (see tool-runner.js). */
function ovsVsctl(s, argv, io) {
  const commands = [[]];
  for (const word of argv) {
    if (word === '--') commands.push([]);
    else commands[commands.length - 1].push(word);
  }
  const commandLine = ['ovs-vsctl', ...argv].join(' ');
  const headings = !commands[0].includes('--no-headings');
  if (s.consumeFailCommand(commandLine)) s.fail(`simulated failure: "${commandLine}" was set to fail by the failCommand fault`);
  return s.withLock(() => {
    const state = s.readState();
    const before = s.canonical(state);
    const lines = [];
    let tables = 0;
    for (const words of commands) {
      const { out, code, table } = runCommand(state, words, headings);
      if (code !== 0) return code;
      // as ovs-vsctl's table printer: a blank line before every table after the first
      if (table && tables++ > 0) lines.push('');
      lines.push(...out);
    }
    // Queries (list-br, show, …) leave the host's files alone, as the real ovs-vsctl leaves its database.
    if (s.canonical(state) !== before) s.writeState(state);
    if (lines.length > 0) io.out(`${lines.join('\n')}\n`);
    return 0;
  });
}

module.exports = { ovsVsctl };

if (require.main === module) require('./cli').runCli(ovsVsctl);
