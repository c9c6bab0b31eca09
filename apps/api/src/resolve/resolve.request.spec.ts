import { parseOrThrow } from '../hosts/request-schemas';
import { requestProblems } from '../hosts/test-support/request-problems';
import { resolveRequestSchema } from './resolve.request';

const problems = (body: unknown): string[] => requestProblems(resolveRequestSchema, body);

describe('resolve request', () => {
  it('accepts a rollback with a reason, and who asked', () => {
    expect(parseOrThrow(resolveRequestSchema, { action: 'rollback', reason: '  worker died, timer gone (ticket #42) ', requestedBy: 'alice@ops' }, 'body')).toEqual({
      action: 'rollback',
      reason: 'worker died, timer gone (ticket #42)',
      requestedBy: 'alice@ops',
    });
  });

  it('offers no confirm, and says why', () => {
    expect(problems({ action: 'confirm', reason: 'looks fine' })).toEqual([
      "body.action: must be 'rollback' (confirm is not offered: a run nobody verified is never kept)",
    ]);
  });

  it('names every missing field and what it must be', () => {
    expect(problems(undefined)).toEqual([
      "body.action: must be 'rollback' (confirm is not offered: a run nobody verified is never kept)",
      'body.reason: is required: say why the run is stuck, e.g. "worker died, timer gone"',
    ]);
  });

  it.each([
    ['too short', 'x', /body.reason: must say why in 3 to 200 characters/],
    ['too long', 'y'.repeat(201), /body.reason: must say why in 3 to 200 characters/],
    ['a newline that could forge a journal line', 'stuck\n1 restored', /body.reason: ASCII letters, digits, space and/],
    ['shell quoting', "stuck'; rm -rf / #", /body.reason: ASCII letters, digits, space and/],
    ['a command substitution', 'stuck $(reboot)', /body.reason: ASCII letters, digits, space and/],
  ])('refuses a reason that is %s', (_what, reason, message) => {
    expect(problems({ action: 'rollback', reason }).join('\n')).toMatch(message);
  });

  it('refuses an unsafe requestedBy and unknown fields', () => {
    expect(problems({ action: 'rollback', reason: 'stuck run', requestedBy: 'bob`id`' })).toEqual(['body.requestedBy: letters, digits and . @ + - only']);
    expect(problems({ action: 'rollback', reason: 'stuck run', force: true }).join('\n')).toMatch(/unknown field "force"; fix: use only /);
  });
});
