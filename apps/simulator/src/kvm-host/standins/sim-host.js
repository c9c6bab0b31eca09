'use strict';
// One simulated host's state helpers (and sim-state's stateless ones), bound to its .sim directory. The stand-in server
// calls them for every host of the process; a stand-in run as a node script binds them to the directory
// above its own .sim/lib.
const fs = require('node:fs');
const path = require('node:path');
const st = require('./sim-state');

function forHost(simDir) {
  const root = path.dirname(simDir);
  const sim = (name) => path.join(simDir, name);

  /**
   * Serialises read-modify-write of the host's state across concurrent commands (mkdir is atomic). In the
   * stand-in server every locked section runs synchronously, so the lock only ever waits on another
   * process (a stand-in run as a node script, or one that died holding it).
   */
  function withLock(fn) {
    const lock = sim('lock');
    const deadline = Date.now() + 10000;
    for (;;) {
      try {
        fs.mkdirSync(lock);
        break;
      } catch (error) {
        if (error.code !== 'EEXIST') throw error;
        if (Date.now() > deadline) fs.rmSync(lock, { recursive: true, force: true }); // a stand-in died holding it
        st.sleepMs(5);
      }
    }
    try {
      return fn();
    } finally {
      try {
        fs.rmdirSync(lock);
      } catch (error) {
        if (error.code !== 'ENOENT') throw error; // a waiter took it for a dead holder's
      }
    }
  }

  const readFaults = () => st.readJson(sim('faults.json'), {});
  const writeFaults = (faults) => st.writeJsonAtomic(sim('faults.json'), faults);

  /**
   * Consumes the one-shot fault `name` when `applies(its value)`: true, and the fault is cleared, under the
   * host's lock. faults.json is replaced whole (writeJsonAtomic): with the fault not armed there is nothing
   * to consume, and no lock to take.
   */
  function consumeFault(name, applies = () => true) {
    if (!readFaults()[name]) return false;
    return withLock(() => {
      const faults = readFaults();
      if (!faults[name] || !applies(faults[name])) return false;
      writeFaults({ ...faults, [name]: undefined });
      return true;
    });
  }

  /**
   * The failCommand fault also reaches commands a script runs on the host (an activation step inside the
   * apply script is no exec of its own): true, and the fault is consumed, when `commandLine` matches it.
   */
  const consumeFailCommand = (commandLine) =>
    consumeFault('failCommand', (pattern) => ('regex' in pattern ? new RegExp(pattern.regex, pattern.flags).test(commandLine) : commandLine.includes(pattern.substring)));

  return {
    ...st,
    root,
    simDir,
    sim,
    withLock,
    readFaults,
    writeFaults,
    consumeFault,
    consumeFailCommand,
    readState: () => st.readJson(sim('live-state.json')),
    writeState: (state) => st.writeState(state, simDir),
    // the renders a hold put off take the lock, as every state write's own render does; the hold ends first, whatever happens
    holdCaches: () => {
      if (!st.holdCaches(simDir)) return () => undefined;
      return () => {
        if (st.releaseCaches(simDir)) withLock(() => st.renderCaches(simDir));
      };
    },
    flushCaches: () => {
      if (st.staleCaches(simDir)) withLock(() => st.renderCaches(simDir));
    },
    readConfig: () => st.readJson(sim('config.json'), {}),
    configHash: () => st.configHash(root),
  };
}

module.exports = { forHost };
