import { HostnetError, isPermanentError } from '@hostnet/contracts';
import { HostWorkflowService } from '../workflow/host-workflow.service';
import { WorkflowValidationError } from './workflow-errors';

describe('WorkflowValidationError', () => {
  it('is permanent and names the field, raised before the host is contacted', async () => {
    let connects = 0;
    const workflow = new HostWorkflowService(async () => {
      connects += 1;
      throw new Error('must not connect');
    });
    const error = await workflow
      .run({ runId: 'job 1; reboot', specHash: 'abc', expected: undefined as never, render: () => undefined as never })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(WorkflowValidationError);
    expect(error).toBeInstanceOf(HostnetError);
    expect((error as WorkflowValidationError).permanent).toBe(true);
    expect(isPermanentError(error)).toBe(true);
    expect((error as Error).name).toBe('WorkflowValidationError');
    expect((error as Error).message).toMatch(/^runId: "job 1; reboot" must match \[A-Za-z0-9\._-\]\+/);
    expect(connects).toBe(0);
  });
});
