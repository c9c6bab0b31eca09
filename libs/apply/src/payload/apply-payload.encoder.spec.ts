import { spawnSync } from 'node:child_process';
import { type ApplyPayload, encodeApplyPayload } from './apply-payload.encoder';
import { HOST_PATH_CHARS, SPACED_NAME_DIR } from '@hostnet/contracts';
import { COMMON_SNIPPET } from '../scripts/common.snippet';
import { RUN_SCRIPTS } from '../scripts/run-scripts';
import { pathProblem } from './path-policy';

const base: ApplyPayload = {
  runId: 'job-1-abc',
  specHash: 'f00d',
  rollbackSeconds: 90,
  stepTimeoutSeconds: 120,
  seen: null,
  files: [{ path: '/etc/network/interfaces', content: "auto br0\n# $(rm -rf /) `x` 'q'\n", mode: 0o644 }],
  removes: ['/etc/network/interfaces.d/old'],
  steps: [{ name: 'ifup-br0', argv: ['ifup', 'br0; reboot'], phase: 'activate' }],
  restoreSteps: [{ name: 'ifup-br0', argv: ['ifup', 'br0'], phase: 'activate' }],
};

describe('encodeApplyPayload', () => {
  it('frames header, base64 file content, removes, argv words and the run\'s own scripts line by line', () => {
    expect(encodeApplyPayload(base)).toBe(
      [
        'hostnet-apply 1',
        'run job-1-abc',
        'spec f00d',
        'rollback 90',
        'step-timeout 120',
        'seen - -',
        'file 644 /etc/network/interfaces',
        Buffer.from(base.files[0].content).toString('base64'),
        'remove /etc/network/interfaces.d/old',
        'step activate ifup-br0',
        'arg ifup',
        'arg br0; reboot',
        'restore-step activate ifup-br0',
        'arg ifup',
        'arg br0',
        ...RUN_SCRIPTS.flatMap((s) => {
          const b64 = Buffer.from(s.content).toString('base64');
          return [`script ${s.name} ${b64.length}`, b64];
        }),
        'end',
        '',
      ].join('\n'),
    );
  });

  it('carries the run state its facts saw, for the host to refuse a payload planned from older facts', () => {
    expect(encodeApplyPayload({ ...base, seen: { runId: 'job-7-lx2', phase: 'applied' } }).split('\n')[5]).toBe('seen job-7-lx2 applied');
  });

  it.each([
    ['relative', 'etc/passwd', 'must be absolute'],
    ['dot-dot', '/etc/../root/.ssh/authorized_keys', "contains '..'"],
    ['newline', '/etc/network/x\nremove /etc/passwd', 'control character'],
    ['control char', '/etc/net\u0007', 'control character'],
    ['outside prefixes', '/root/.ssh/authorized_keys', 'outside the allowed locations'],
    ['space outside a keyfile name', '/etc/network/interfaces.d/eth0 old', 'characters outside'],
    ['space in a keyfile subdirectory', '/etc/NetworkManager/system-connections/a b/c.nmconnection', 'characters outside'],
    ['double space', '/etc/NetworkManager/system-connections/Wired  1.nmconnection', 'characters outside'],
    ['leading space', '/etc/NetworkManager/system-connections/ Wired.nmconnection', 'characters outside'],
    ['trailing space', '/etc/NetworkManager/system-connections/Wired 1 ', 'characters outside'],
    ['tab', '/etc/NetworkManager/system-connections/Wired\t1.nmconnection', 'control character'],
    ['glob beside a space', '/etc/NetworkManager/system-connections/Wired *.nmconnection', 'characters outside'],
    ['glob', '/etc/*', 'characters outside'],
    ['empty segment', '/etc//passwd', 'empty path segment'],
    ['lookalike prefix', '/etcetera/x', 'outside the allowed locations'],
  ])('rejects a hostile path (%s)', (_label, path, message) => {
    expect(pathProblem(path)).toContain(message);
    expect(() => encodeApplyPayload({ ...base, files: [{ path, content: '', mode: 0o644 }] })).toThrow(/files\[0\]\.path/);
    expect(() => encodeApplyPayload({ ...base, removes: [path] })).toThrow(/removes\[0\]/);
  });

  it('accepts the allowed locations', () => {
    for (const path of ['/etc/sysconfig/network-scripts/ifcfg-bond0', '/sbin/ifup-localovs', '/var/lib/hostnet/expected-state.json']) {
      expect(pathProblem(path)).toBeUndefined();
    }
    expect(pathProblem('/sbin/ifup')).toContain('outside');
  });

  it("applies the on-host scripts' own path characters (valid_path), from the one shared rule", () => {
    expect(COMMON_SNIPPET).toContain(`*[!${HOST_PATH_CHARS}]*) return 1`);
    expect(COMMON_SNIPPET).toContain(`${SPACED_NAME_DIR}*)`);
    expect(COMMON_SNIPPET).toContain(`*[!${HOST_PATH_CHARS.replace(/-$/, "' '-")}]*) return 1`);
  });

  it('accepts single spaces inside a NetworkManager keyfile name only', () => {
    expect(pathProblem('/etc/NetworkManager/system-connections/Wired connection 1.nmconnection')).toBeUndefined();
    expect(encodeApplyPayload({ ...base, removes: ['/etc/NetworkManager/system-connections/Wired connection 1.nmconnection'] })).toContain(
      '\nremove /etc/NetworkManager/system-connections/Wired connection 1.nmconnection\n',
    );
  });

  it.each([
    '/etc/NetworkManager/system-connections/Wired connection 1.nmconnection',
    '/etc/NetworkManager/system-connections/Wired .nmconnection',
    '/etc/NetworkManager/system-connections/Wired  1.nmconnection',
    '/etc/NetworkManager/system-connections/ Wired.nmconnection',
    '/etc/NetworkManager/system-connections/Wired 1 ',
    '/etc/NetworkManager/system-connections/Wired\t1.nmconnection',
    '/etc/NetworkManager/system-connections/Wired\n1.nmconnection',
    '/etc/NetworkManager/system-connections/Wired 1.nmconnection\n',
    '/etc/NetworkManager/system-connections/a b/c.nmconnection',
    '/etc/NetworkManager/system-connections/W* 1.nmconnection',
    "/etc/NetworkManager/system-connections/W' 1.nmconnection",
    '/etc/NetworkManager/system-connections/W\\ 1.nmconnection',
    '/etc/NetworkManager/system-connections/.. 1',
    '/etc/NetworkManager/system-connections',
    '/etc/network/eth0 old',
    '/etc/sysconfig/network-scripts/ifcfg-eth0',
  ])('the real shell (valid_path) and pathProblem agree on %j', (path) => {
    const sh = spawnSync('sh', ['-c', `${COMMON_SNIPPET}valid_path "$1"`, 'sh', path], { env: { PATH: process.env.PATH, HOSTNET_ROOT: '' } });
    expect(sh.status === 0).toBe(pathProblem(path) === undefined);
  });

  it('rejects bad run ids, step names, argv newlines, modes and duplicate paths with the field named', () => {
    expect(() => encodeApplyPayload({ ...base, runId: 'a b' })).toThrow(/runId/);
    expect(() => encodeApplyPayload({ ...base, seen: { runId: 'job-1 x', phase: 'applied' } })).toThrow(/seen\.runId/);
    expect(() => encodeApplyPayload({ ...base, steps: [{ name: 'x;y', argv: ['true'], phase: 'live' }] })).toThrow(/steps\[0\]\.name/);
    expect(() => encodeApplyPayload({ ...base, steps: [{ name: 'x', argv: ['echo', 'a\nb'], phase: 'live' }] })).toThrow(/steps\[0\]\.argv\[1\]/);
    expect(() => encodeApplyPayload({ ...base, steps: [{ name: 'x', argv: [], phase: 'live' }] })).toThrow(/steps\[0\]\.argv/);
    expect(() => encodeApplyPayload({ ...base, files: [{ ...base.files[0], mode: 0o10000 }] })).toThrow(/files\[0\]\.mode/);
    expect(() => encodeApplyPayload({ ...base, files: [base.files[0], base.files[0]] })).toThrow(/listed twice/);
    expect(() => encodeApplyPayload({ ...base, rollbackSeconds: 0 })).toThrow(/rollbackSeconds/);
  });
});
