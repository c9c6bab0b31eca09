import { BadRequestException } from '@nestjs/common';
import { parseOrThrow } from '../hosts/request-schemas';
import { relabelRequestSchema } from './relabel-request.schema';

const problems = (body: unknown): string[] => {
  try {
    parseOrThrow(relabelRequestSchema, body, 'body');
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return ((error as BadRequestException).getResponse() as { message: string[] }).message;
  }
  throw new Error('expected the body to be refused');
};

describe('relabel request', () => {
  it('answers a value outside a choice with the choices, as a fix', () => {
    const changes = [{ physicalNetwork: 'physnet2', trafficType: 'Public', newLabel: 'cloudbr5' }];
    expect(problems({ zone: 'zone1', changes, outOfScope: 'leave-behnd', strategy: { maintenance: 'sometimes' } })).toEqual([
      'body.outOfScope: "leave-behnd" is not allowed; fix: use one of refuse, leave-behind',
      'body.strategy.maintenance: "sometimes" is not allowed; fix: use one of required, when-vms, never',
    ]);
  });
});
