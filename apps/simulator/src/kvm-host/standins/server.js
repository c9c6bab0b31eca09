'use strict';
// The stand-in server: runs every simulated host's stand-ins (tools.js) for the hosts' bash clients
// (client.bash), in a worker thread of the simulator process (kvm-host-standin.server.ts starts it), so a
// main thread blocked in spawnSync still gets answers. Loopback TCP, ephemeral port.
//   request: NUL-terminated fields: protocol, token, .sim dir, tool, HOSTNET_SIM_CONN, HOSTNET_SIM_CONTROL,
//            argc, then argc fields of argv
//   answer:  "CODE ERRLEN OUTLEN\n", ERRLEN bytes of stderr, OUTLEN bytes of stdout; then close
// A command whose client connection closes before it is done (the client was killed) is dropped: an
// activation sleeping its latency then never applies. Tools run synchronously except for that sleep, so
// each host's read-modify-write of its state happens in one stretch, under its lock (sim-host.js).
const net = require('node:net');
const { randomBytes } = require('node:crypto');
const { parentPort } = require('node:worker_threads');
const { TOOLS } = require('./tools');
const { forHost } = require('./sim-host');
const { invoke } = require('./tool-runner');
const { dropConnection } = require('./drop-connection');

const PROTOCOL = 'hostnet-sim-1';
const FIXED_FIELDS = 7;
const MAX_REQUEST = 1 << 20;
const token = randomBytes(16).toString('hex');
/** .sim dirs of the hosts this server answers for: anything else is refused. */
const hosts = new Set();
/** Commands running now: { simDir, socket, cancelled, wake }. */
const calls = new Set();

function cancel(call) {
  if (call.cancelled) return;
  call.cancelled = true;
  calls.delete(call);
  call.socket.destroy();
  if (call.wake) call.wake();
}

/** The request's fields once all of them have arrived, else undefined. */
function completeRequest(buffer) {
  const fields = [];
  let start = 0;
  for (;;) {
    const end = buffer.indexOf(0, start);
    if (end < 0) return undefined;
    fields.push(buffer.subarray(start, end).toString('utf8'));
    start = end + 1;
    if (fields.length >= FIXED_FIELDS) {
      const argc = Number(fields[FIXED_FIELDS - 1]);
      if (!Number.isInteger(argc) || argc < 0) return [PROTOCOL, '', '', ''];
      if (fields.length === FIXED_FIELDS + argc) return fields;
    }
  }
}

function answer(socket, { code, stdout, stderr }) {
  const out = Buffer.from(stdout, 'utf8');
  const err = Buffer.from(stderr, 'utf8');
  socket.end(Buffer.concat([Buffer.from(`${code} ${err.length} ${out.length}\n`), err, out]));
}

/**
 * The activation's latency, in the client's lifetime: rejects ({ cancelled }) when the client went away
 * meanwhile. setImmediate after the timer lets a close that arrived with it be seen first.
 */
function sleep(call, ms) {
  return new Promise((resolve, reject) => {
    let timer;
    const settle = () => {
      call.wake = undefined;
      clearTimeout(timer);
      setImmediate(() => (call.cancelled ? reject(Object.assign(new Error('cancelled'), { cancelled: true })) : resolve()));
    };
    call.wake = settle;
    timer = setTimeout(settle, Math.max(0, ms));
    if (call.cancelled) settle();
  });
}

async function serve(socket, fields) {
  const [protocol, given, simDir, name, conn, control, , ...argv] = fields;
  const tool = Object.hasOwn(TOOLS, name) ? TOOLS[name] : undefined;
  if (protocol !== PROTOCOL || given !== token || !hosts.has(simDir) || !tool) {
    const why = hosts.has(simDir) ? `"${name}" is no stand-in` : 'this host belongs to no running simulator';
    return answer(socket, { code: 255, stdout: '', stderr: `hostnet-sim: ${name}: ${why}\n` });
  }
  const call = { simDir, socket, cancelled: false, wake: undefined };
  calls.add(call);
  socket.on('close', () => cancel(call));
  const env = { HOSTNET_SIM_CONN: conn, HOSTNET_SIM_CONTROL: control };
  const io = { env, sleep: (ms) => sleep(call, ms), dropConnection: () => dropConnection(env) };
  let result;
  try {
    result = await invoke(tool, forHost(simDir), argv, io);
  } catch (error) {
    if (error && error.cancelled) return;
    result = { code: 255, stdout: '', stderr: `hostnet-sim: ${name}: ${error && error.message}\n` };
  }
  if (call.cancelled) return;
  calls.delete(call);
  answer(socket, result);
}

const tcp = net.createServer({ allowHalfOpen: false }, (socket) => {
  socket.on('error', () => undefined);
  let buffer = Buffer.alloc(0);
  const onData = (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    const fields = completeRequest(buffer);
    if (fields === undefined) {
      if (buffer.length > MAX_REQUEST) socket.destroy();
      return;
    }
    socket.off('data', onData);
    void serve(socket, fields);
  };
  socket.on('data', onData);
});

/** CPU time this thread has used (utime + stime), ms: what the hosts' stand-ins cost the simulator. */
function threadCpuMs() {
  const stat = require('node:fs').readFileSync('/proc/thread-self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
}

// Control from the simulator's main thread: { id, op: 'add' | 'remove' | 'cancel' | 'cpu', simDir } →
// { id, value? }. remove and cancel drop the host's running commands (their clients were killed); remove
// also forgets the host; cpu answers threadCpuMs().
parentPort.on('message', ({ id, op, simDir }) => {
  if (op === 'add') hosts.add(simDir);
  if (op === 'remove') hosts.delete(simDir);
  if (op === 'remove' || op === 'cancel') for (const call of calls) if (call.simDir === simDir) cancel(call);
  parentPort.postMessage({ id, value: op === 'cpu' ? threadCpuMs() : undefined });
});

tcp.listen(0, '127.0.0.1', () => parentPort.postMessage({ ready: { port: tcp.address().port, token } }));
