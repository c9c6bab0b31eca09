import type { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { relabelRequestSchema } from '../relabels/relabel-request.schema';
import { addHostRequestSchema } from '../add-host/add-host.request';
import { parseOrThrow, runRequestSchema } from './request-schemas';

const addHost = { zoneId: 'zone1', podId: 'pod1', clusterId: 'cluster1', name: 'kvm6', ipAddress: '192.168.100.26', username: 'root', password: 'pw' };

const problems = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    return ((error as BadRequestException).getResponse() as { message: string[] }).message;
  }
  throw new Error('expected a 400');
};

describe('parseOrThrow: every 400 says what to send', () => {
  it('a wrong JSON type, an empty string and a too-long one name the field and the fix', () => {
    expect(problems(() => parseOrThrow(runRequestSchema, { dryRun: 'true', requestedBy: 'x'.repeat(129) }, 'body'))).toEqual([
      'body.dryRun: is a JSON string; fix: send a JSON boolean (true or false, without quotes)',
      'body.requestedBy: is longer than 128 characters; fix: shorten it',
    ]);
    const relabel = { zone: 'zone1', changes: [{ physicalNetwork: 'physnet2', trafficType: 'Public', newLabel: 'cloudbr5' }], scope: [''] };
    expect(problems(() => parseOrThrow(relabelRequestSchema, relabel, 'body'))).toEqual(['body.scope.0: is empty; fix: give a value, or drop the empty entry']);
  });

  it('an empty field says to leave it out only when it may be left out', () => {
    expect(problems(() => parseOrThrow(addHostRequestSchema, { ...addHost, password: '' }, 'body'))).toEqual([
      'body.password: is empty; fix: give a value (the field is required)',
    ]);
    expect(problems(() => parseOrThrow(addHostRequestSchema, { ...addHost, password: undefined }, 'body'))).toEqual([
      "body.password: required: that user's SSH password (kept in api's memory only)",
    ]);
    const optional = z.object({ note: z.string().min(1).optional(), tags: z.array(z.string().min(1)).default([]) }).strict();
    expect(problems(() => parseOrThrow(optional, { note: '', tags: ['a', ''] }, 'body'))).toEqual([
      'body.note: is empty; fix: give a value, or leave the field out',
      'body.tags.1: is empty; fix: give a value, or drop the empty entry',
    ]);
  });

  it('an unknown field names the fields there are, and the one it was probably meant to be, at any depth', () => {
    expect(problems(() => parseOrThrow(runRequestSchema, { dryrun: true, mode: 'apply' }, 'body'))).toEqual([
      'body: unknown fields "dryrun" (did you mean "dryRun"?), "mode"; fix: use only dryRun, force, enable, requestedBy',
    ]);
    const relabel = { zone: 'zone1', changes: [{ physicalNetwork: 'physnet2', trafficType: 'Public', new_label: 'cloudbr5', newLabel: 'cloudbr5' }], strategy: { max_unavailable: 1 } };
    expect(problems(() => parseOrThrow(relabelRequestSchema, relabel, 'body'))).toEqual([
      'body.changes.0: unknown field "new_label" (did you mean "newLabel"?); fix: use only physicalNetwork, trafficType, newLabel',
      'body.strategy: unknown field "max_unavailable" (did you mean "maxUnavailable"?); fix: use only canary, maxUnavailable, abortAfter, maintenance',
    ]);
  });

  it("a message the schema gives its field comes through as it is", () => {
    expect(problems(() => parseOrThrow(runRequestSchema, { requestedBy: 'rm -rf /' }, 'body'))).toEqual(['body.requestedBy: letters, digits and . @ + - only']);
  });
});
