'use strict';
// Stand-in for the commands that (re)apply a host's network configuration: ifup, ifdown, ifreload,
// service, systemctl, netplan, nmcli. Called with argv = <tool> [args...] (as a script: activation.js <tool> …).
//
// Model: applying the files produces the intended state. The pipeline uploads that state as
// $HOSTNET_ROOT/var/lib/hostnet/expected-state.json; a fresh upload becomes the live state. Each applied
// state is remembered under the hash of the config files the OS reads, so re-activating restored files
// (a rollback) brings the old live state back even when expected-state.json is gone or stale.
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

function activates(tool, args) {
  const [a, b] = args.filter((x) => !x.startsWith('-'));
  switch (tool) {
    case 'ifup':
    case 'ifreload':
      return true;
    case 'service':
      return ['network', 'networking'].includes(a) && ['restart', 'start', 'reload'].includes(b);
    case 'systemctl':
      return ['restart', 'start', 'reload', 'reload-or-restart', 'try-restart'].includes(a) &&
        ['network', 'NetworkManager', 'networking', 'systemd-networkd'].includes((b || '').replace(/\.service$/, ''));
    case 'netplan':
      return a === 'apply';
    case 'nmcli': {
      const words = args.filter((x) => !x.startsWith('-'));
      return ['c', 'con', 'connection'].includes(words[0]) && ['reload', 'up'].includes(words[1]);
    }
    default:
      return false;
  }
}

function other(tool, args, io) {
  // every unit runs on a simulated host; --quiet prints nothing, as systemctl's does
  if (tool === 'systemctl' && args[0] === 'is-active' && !args.includes('--quiet') && !args.includes('-q')) io.out('active\n');
  if (tool === 'netplan' && args[0] === 'generate') return; // config generation is checked by the real lab
  // ifdown and every other verb succeed without changing the simulated state (see the simulator README).
}

/** The expected state hostnet uploaded, when no activation has applied it yet: { text, digest, expectedFile }, else null. */
function freshExpectedState(s) {
  const expectedFile = path.join(s.root, 'var/lib/hostnet/expected-state.json');
  if (!fs.existsSync(expectedFile)) return null;
  const text = fs.readFileSync(expectedFile);
  const digest = crypto.createHash('sha256').update(text).digest('hex');
  return digest === s.readJson(s.sim('expected-consumed.json'), {}).sha256 ? null : { text, digest, expectedFile };
}

/** How long this activation takes: each one applyLatencyMs, or (latencyPer "apply") the run's first only. */
function latencyMs(s) {
  const config = s.readConfig();
  const latency = Number(config.applyLatencyMs) || 0;
  if (config.latencyPer !== 'apply') return latency;
  return s.withLock(() => freshExpectedState(s)) ? latency : 0;
}

/**
 * A VM's tap (libvirt names them vnetN) stays in its bridge through an activation, as in a kernel: the
 * files hostnet writes never name it, and re-reading them leaves a bridge's other ports where they are.
 * Carried only into a bridge the next state still has (a bridge that goes takes its taps with it).
 */
function keepVmTaps(before, next) {
  const names = new Set(next.links.map((l) => l.name));
  const taps = before.links.filter((l) => /^vnet[0-9]+$/.test(l.name) && l.master && !names.has(l.name) && names.has(l.master));
  if (taps.length === 0) return next;
  const tapsOf = (bridge) => taps.filter((t) => t.master === bridge).map((t) => t.name);
  const links = next.links.map((l) => (tapsOf(l.name).length > 0 ? { ...l, members: [...new Set([...(l.members || []), ...tapsOf(l.name)])].sort() } : l));
  return { ...next, links: [...links, ...taps] };
}

/**
 * A bond or bridge that runs before an activation keeps its parameters through it (mode, miimon, lacp_rate,
 * xmit_hash_policy; stp_state, forward_delay), as systemd-networkd keeps an existing netdev's ("netdev exists,
 * using existing without changing its parameters", systemd #9627) and ifenslave cannot change a bond's mode
 * while it has slaves: only `ip link set … type bond|bridge` (ip.js) changes them.
 */
function keepLinkParams(before, next) {
  const was = new Map(before.links.filter((l) => l.kind === 'bond' || l.kind === 'bridge').map((l) => [l.name, l]));
  const kept = (l) => {
    const old = was.get(l.name);
    if (!old || old.kind !== l.kind) return l;
    const { [l.kind]: _dropped, ...rest } = l;
    return old[l.kind] === undefined ? rest : { ...rest, [l.kind]: old[l.kind] };
  };
  return { ...next, links: next.links.map(kept) };
}

/** Runs in one synchronous stretch under the host's lock: the state changes all at once, or not at all. */
function apply(s, tool) {
  s.withLock(() => {
    const faults = s.readFaults();
    const before = s.readState();
    const key = s.configHash();
    const remembered = s.readJson(s.sim('config-states.json'), {});
    let next = remembered[key] || before;
    const fresh = freshExpectedState(s);
    if (fresh) {
      let parsed;
      try {
        parsed = JSON.parse(fresh.text.toString('utf8'));
      } catch (error) {
        s.fail(`${tool}: ${fresh.expectedFile} is not valid JSON: ${error.message}`);
      }
      next = s.assertLiveState(parsed, fresh.expectedFile);
      s.writeJsonAtomic(s.sim('expected-consumed.json'), { sha256: fresh.digest });
    }
    // An activation that changes nothing (most of an EL run's dozen ifups) writes nothing: each write
    // re-renders the host's cached ip/ovs-vsctl answers, the simulator's largest cost per activation.
    const nextText = s.canonical(next);
    if (!remembered[key] || s.canonical(remembered[key]) !== nextText) {
      remembered[key] = next;
      s.writeJsonAtomic(s.sim('config-states.json'), remembered);
    }
    next = keepLinkParams(before, keepVmTaps(before, next));
    const liveText = s.canonical(next);

    if (faults.loseManagementAfterApply) {
      s.writeFaults({ ...faults, loseManagementAfterApply: false });
      s.writeJsonAtomic(s.sim('reachable-state.json'), before);
      fs.writeFileSync(s.sim('reachable'), 'no\n');
      s.writeState(next);
    } else if (fs.readFileSync(s.sim('reachable'), 'utf8').trim() === 'no') {
      const good = s.readJson(s.sim('reachable-state.json'), null);
      // the state first: a host seen reachable again already has the state that made it so
      s.writeState(next);
      if (!good || s.canonical(good) === s.canonical(next)) {
        fs.writeFileSync(s.sim('reachable'), 'yes\n');
        fs.rmSync(s.sim('reachable-state.json'), { force: true });
      }
    } else if (s.canonical(before) !== liveText) {
      s.writeState(next);
    }
  });
}

/**
 * The stand-in: (host helpers, argv, io) → exit code (see tool-runner.js). io.sleep is the activation's
 * latency; in the stand-in server it rejects when the calling process dies meanwhile, so a killed
 * activation changes nothing, as a killed process would.
 */
async function activation(s, argv, io) {
  const [tool, ...args] = argv;
  const commandLine = [tool, ...args].join(' ');
  if (s.consumeFailCommand(commandLine)) s.fail(`simulated failure: "${commandLine}" was set to fail by the failCommand fault`);
  if (!activates(tool, args)) return other(tool, args, io);
  if (s.consumeFault('dropConnectionDuringApply')) await io.dropConnection();
  await io.sleep(latencyMs(s));
  apply(s, tool);
}

module.exports = { activation };

if (require.main === module) require('./cli').runCli(activation);
