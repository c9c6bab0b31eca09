import type { BadRequestException } from '@nestjs/common';
import { relabelRequestSchema } from '../relabels/relabel-request.schema';
import { parseOrThrow, runRequestSchema } from './request-schemas';

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
    expect(problems(() => parseOrThrow(relabelRequestSchema, relabel, 'body'))).toEqual(['body.scope.0: is empty; fix: give a value, or leave the field out']);
  });

  it("a message the schema gives its field comes through as it is", () => {
    expect(problems(() => parseOrThrow(runRequestSchema, { requestedBy: 'rm -rf /' }, 'body'))).toEqual(['body.requestedBy: letters, digits and . @ + - only']);
  });
});
