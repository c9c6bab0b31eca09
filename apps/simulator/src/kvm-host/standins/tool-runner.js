'use strict';
// Runs one stand-in tool and collects what it prints: invoke(tool, host, argv, io) → { code, stdout, stderr }.
// A tool is a function (host, argv, io) → exit code (or undefined for 0), sync or async; it prints with
// io.out and stops with sim-state's fail() (message on stderr, exit code). io also carries env (the
// caller's HOSTNET_SIM_CONN / HOSTNET_SIM_CONTROL), sleep(ms) and dropConnection().
// Used by the stand-in server (one call per client connection) and by cli.js (a tool run as a node script).

async function invoke(tool, host, argv, io) {
  const stdout = [];
  const stderr = [];
  const out = (text) => {
    stdout.push(text);
  };
  try {
    const code = await tool(host, argv, { ...io, out });
    return { code: typeof code === 'number' ? code : 0, stdout: stdout.join(''), stderr: stderr.join('') };
  } catch (error) {
    if (error && error.cancelled) throw error;
    stderr.push(`${error.message}\n`);
    return { code: typeof error.exitCode === 'number' ? error.exitCode : 1, stdout: stdout.join(''), stderr: stderr.join('') };
  }
}

module.exports = { invoke };
