'use strict';
// Shared helpers for the simulated host's stand-in commands. Plain CommonJS so node runs it as is.
// Stateless: every function takes the paths it works on (sim-host.js binds them to one host).
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { threadId } = require('node:worker_threads');

function readJson(file, fallback) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT' && fallback !== undefined) return fallback;
    throw error;
  }
}

function writeJsonAtomic(file, value) {
  writeAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

function sleepMs(ms) {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Stops the command with a message on stderr and an exit code (thrown, so locks are released). */
function fail(message, code = 1) {
  throw Object.assign(new Error(message), { exitCode: code });
}

// Files each OS's own network tooling reads, with the same "ignore backups" rules the tools apply.
const BACKUP = /(~|\.(bak|old|orig|rpmnew|rpmorig|rpmsave|save|swp|tmp|dpkg-[a-z]+))$/i;
const CONFIG_SOURCES = [
  { dir: 'etc/network', accept: (n) => n === 'interfaces' },
  { dir: 'etc/network/interfaces.d', accept: (n) => /^[A-Za-z0-9_-]+$/.test(n) },
  { dir: 'etc/netplan', accept: (n) => n.endsWith('.yaml') },
  { dir: 'etc/sysconfig/network-scripts', accept: (n) => /^(ifcfg|route|route6|rule)-/.test(n) && !BACKUP.test(n) },
  { dir: 'etc/NetworkManager/system-connections', accept: (n) => !n.startsWith('.') && !BACKUP.test(n) },
];

/** Hash of the network configuration the OS would read: the key under which applied states are remembered. */
function configHash(base) {
  const hash = crypto.createHash('sha256');
  for (const source of CONFIG_SOURCES) {
    let names = [];
    try {
      names = fs.readdirSync(path.join(base, source.dir)).filter(source.accept).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(base, source.dir, name);
      let content;
      try {
        if (!fs.statSync(file).isFile()) continue;
        content = fs.readFileSync(file);
      } catch (err) {
        // removed since the listing (a script of a still-open SSH session during a simulated reboot)
        if (err.code === 'ENOENT') continue;
        throw err;
      }
      hash.update(`${source.dir}/${name}\0`).update(content).update('\0');
    }
  }
  return hash.digest('hex');
}

function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).filter((k) => value[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function assertLiveState(value, file) {
  const ok = value && Array.isArray(value.links) && Array.isArray(value.addresses) && Array.isArray(value.routes);
  if (!ok) fail(`${file}: not a LiveState (needs links, addresses and routes arrays)`);
  return value;
}

let writes = 0;

// A temporary name of this write's own: the stand-in server's thread and the simulator's main thread (a
// reboot's boot state) share a pid, and with a pid-named file one's rename took the other's file away.
function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.${threadId}.${++writes}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * Writes live state into a host's .sim directory and refreshes the pre-rendered answers the ip and
 * ovs-vsctl wrappers serve (unless holdCaches holds them back); every write also appends the links it
 * leaves to live-history.jsonl, so a test can tell what the host had when.
 */
function writeState(state, dir) {
  writeJsonAtomic(path.join(dir, 'live-state.json'), state);
  fs.appendFileSync(path.join(dir, 'live-history.jsonl'), `${JSON.stringify({ at: Date.now(), links: state.links.map((l) => l.name) })}\n`);
  const held = heldCaches.get(dir);
  if (held) held.stale = true;
  else writeCaches(state, dir);
}

// .sim directories whose cached answers this thread holds back (holdCaches), and whether their state changed since.
const heldCaches = new Map();

/**
 * Holds back the re-rendering of a host's cached ip/ovs-vsctl answers (the simulator's largest cost per
 * state change) while a series of changes that only this thread's stand-ins read runs, such as the lean
 * host model's activation steps. False when a hold already runs (the outer one renders). Until
 * releaseCaches, answers served from the caches are the state before the series: render them first
 * (sim-host.js flushCaches) when a real shell is about to read them.
 */
function holdCaches(dir) {
  if (heldCaches.has(dir)) return false;
  heldCaches.set(dir, { stale: false });
  return true;
}

/** Ends a hold: true when the state changed meanwhile, and the caches want renderCaches. */
function releaseCaches(dir) {
  const held = heldCaches.get(dir);
  heldCaches.delete(dir);
  return Boolean(held && held.stale);
}

/** Whether a hold runs and the state changed since the caches were rendered. */
function staleCaches(dir) {
  const held = heldCaches.get(dir);
  return Boolean(held && held.stale);
}

/** Renders a host's cached answers from its live state as it is now; a hold on it stays, now up to date. */
function renderCaches(dir) {
  writeCaches(readJson(path.join(dir, 'live-state.json')), dir);
  const held = heldCaches.get(dir);
  if (held) held.stale = false;
}

function writeCaches(state, dir) {
  const cacheDir = path.join(dir, 'ip-cache');
  fs.mkdirSync(cacheDir, { recursive: true });
  for (const [name, text] of Object.entries(require('./ip-render').cacheFiles(state, personaOf(dir)))) writeAtomic(path.join(cacheDir, name), text);
  if (fs.existsSync(path.join(dir, 'bin', 'ovs-vsctl'))) writeOvsCache(state, path.join(dir, 'ovs-cache'));
}

/** A host's persona (config.json is written before its first state): its ip's answers depend on it. */
const personaOf = (dir) => readJson(path.join(dir, 'config.json'), {}).persona;

/** ovs-vsctl's read-only answers for the ovs-vsctl wrapper; answers of a bridge that is gone are removed. */
function writeOvsCache(state, cacheDir) {
  fs.mkdirSync(cacheDir, { recursive: true });
  const files = require('./ovs-render').cacheFiles(state);
  for (const [name, text] of Object.entries(files)) writeAtomic(path.join(cacheDir, name), text);
  for (const name of fs.readdirSync(cacheDir)) if (!(name in files) && !name.endsWith('.tmp')) fs.rmSync(path.join(cacheDir, name), { force: true });
}

module.exports = { readJson, writeJsonAtomic, sleepMs, writeState, holdCaches, releaseCaches, staleCaches, renderCaches, fail, configHash, canonical, assertLiveState };
