'use strict';
/**
 * The simulated hosts' command starter, a small process of its own (see kvm-host-exec-spawner.ts): node
 * forks its whole process for every spawn, which in a simulator holding a thousand hosts cost each exec
 * 10+ ms of CPU on its event loop. Here a spawn costs what forking this small process costs.
 *
 * Unix socket, one connection per command. In: a JSON line {command, cwd, env}, then the command's stdin
 * (a half-close is its end). Out: frames of type (1 byte) + length (uint32 BE) + payload: 's' started,
 * 'o' stdout, 'e' stderr, then one 'x' {code, signal} when the command's output has ended, or 'r'
 * {message} when it could not start. A connection closed early closes the command's pipes; the command keeps running, as
 * under sshd without a pty.
 */
const net = require('node:net');
const { spawn } = require('node:child_process');

function frame(type, payload) {
  const out = Buffer.alloc(5 + payload.length);
  out.write(type, 0, 'latin1');
  out.writeUInt32BE(payload.length, 1);
  payload.copy(out, 5);
  return out;
}

function start(socket, request, rest) {
  let done = false;
  const finish = (type, value) => {
    if (done) return;
    done = true;
    socket.end(frame(type, Buffer.from(JSON.stringify(value))));
  };
  let child;
  try {
    child = spawn('/bin/sh', ['-c', request.command], { cwd: request.cwd, env: request.env, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    return finish('r', { message: error.message });
  }
  for (const stream of [child.stdin, child.stdout, child.stderr]) stream.on('error', () => undefined);
  socket.write(frame('s', Buffer.alloc(0)));
  child.stdout.on('data', (d) => socket.write(frame('o', d)));
  child.stderr.on('data', (d) => socket.write(frame('e', d)));
  child.on('error', (error) => finish('r', { message: error.message }));
  child.on('close', (code, signal) => finish('x', { code, signal }));
  socket.on('close', () => {
    done = true;
    child.stdin.destroy();
    child.stdout.destroy();
    child.stderr.destroy();
  });
  if (rest.length > 0) child.stdin.write(rest);
  socket.pipe(child.stdin);
  socket.resume();
}

const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: false }, (socket) => {
  socket.on('error', () => undefined);
  let head = Buffer.alloc(0);
  const onHead = (chunk) => {
    head = Buffer.concat([head, chunk]);
    const newline = head.indexOf(10);
    if (newline < 0) return;
    socket.off('data', onHead);
    socket.pause();
    let request;
    try {
      request = JSON.parse(head.subarray(0, newline).toString('utf8'));
    } catch (error) {
      socket.end(frame('r', Buffer.from(JSON.stringify({ message: `bad request: ${error.message}` }))));
      return;
    }
    start(socket, request, head.subarray(newline + 1));
  };
  socket.on('data', onHead);
});

server.listen(process.argv[2], () => process.send?.('ready'));
// The simulator went away (a crashed test process included): so does its starter.
process.on('disconnect', () => process.exit(0));
