'use strict';
// The stand-ins the server runs, by command name: (host helpers, argv, io) → exit code (tool-runner.js).
const { activation } = require('./activation');
const { ip } = require('./ip');
const { ovsAppctl } = require('./ovs-appctl');
const { ovsVsctl } = require('./ovs-vsctl');
const { ping } = require('./ping');
const { sudo } = require('./sudo');

const ACTIVATION_TOOLS = ['ifup', 'ifdown', 'ifreload', 'service', 'systemctl', 'netplan', 'nmcli'];

const TOOLS = {
  ip,
  ping,
  sudo,
  'ovs-vsctl': ovsVsctl,
  'ovs-appctl': ovsAppctl,
  ...Object.fromEntries(ACTIVATION_TOOLS.map((name) => [name, (s, argv, io) => activation(s, [name, ...argv], io)])),
};

module.exports = { TOOLS };
