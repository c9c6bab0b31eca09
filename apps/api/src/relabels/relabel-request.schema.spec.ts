import { requestProblems } from '../hosts/test-support/request-problems';
import { relabelRequestSchema } from './relabel-request.schema';

const problems = (body: unknown): string[] => requestProblems(relabelRequestSchema, body);

describe('relabel request', () => {
  it('answers a value outside a choice with the choices, as a fix', () => {
    const changes = [{ physicalNetwork: 'physnet2', trafficType: 'Public', newLabel: 'cloudbr5' }];
    expect(problems({ zone: 'zone1', changes, outOfScope: 'leave-behnd', strategy: { maintenance: 'sometimes' } })).toEqual([
      'body.outOfScope: "leave-behnd" is not allowed; fix: use one of refuse, leave-behind',
      'body.strategy.maintenance: "sometimes" is not allowed; fix: use one of required, when-vms, never',
    ]);
  });
});
