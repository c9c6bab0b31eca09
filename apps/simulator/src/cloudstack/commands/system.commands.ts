import { ApiError } from '../protocol/api-error';
import type { CommandDefinition } from './command-definition';
import { pagedList } from './list-paging';

const listCapabilities: CommandDefinition = {
  name: 'listCapabilities',
  handle(ctx) {
    return {
      kind: 'object',
      objectName: 'capability',
      item: {
        securitygroupsenabled: false,
        dynamicrolesenabled: true,
        cloudstackversion: ctx.state.cloudstackVersion,
        userpublictemplateenabled: true,
        supportELB: 'false',
        projectinviterequired: false,
        allowusercreateprojects: true,
        customdiskofferingminsize: 1,
        customdiskofferingmaxsize: 1024,
        regionsecondaryenabled: false,
        kvmsnapshotenabled: false,
        allowuserviewdestroyedvm: false,
        allowuserexpungerecovervm: false,
        allowuserexpungerecovervolume: true,
        allowuserviewalldomainaccounts: false,
        kubernetesserviceenabled: false,
        kubernetesclusterexperimentalfeaturesenabled: false,
        defaultuipagesize: 20,
        apilimitinterval: 1,
        apilimitmax: 0,
      },
    };
  },
};

const queryAsyncJobResult: CommandDefinition = {
  name: 'queryAsyncJobResult',
  async handle(ctx) {
    const jobId = ctx.params.requiredEntity('jobid', (id) => (ctx.jobs.has(id) ? id : undefined));
    return { kind: 'fields', fields: await ctx.jobs.describe(jobId) };
  },
};

/**
 * The account's jobs of every status (the one simulated account), `created >= startdate`, in id
 * order, paged: QueryManagerImpl.searchForAsyncJobsInternal. startdate is a CommandType.DATE,
 * parsed as yyyy-MM-dd (the simulator's zone is UTC).
 */
const listAsyncJobs: CommandDefinition = {
  name: 'listAsyncJobs',
  async handle(ctx) {
    const startDate = ctx.params.string('startdate');
    let since = new Date(0);
    if (startDate !== undefined) {
      since = new Date(`${/^\d{4}-\d{2}-\d{2}/.exec(startDate)?.[0] ?? 'invalid'}T00:00:00Z`);
      if (Number.isNaN(since.getTime())) {
        throw ApiError.param(`Unable to execute API command listasyncjobs due to invalid value ${startDate} for parameter startdate`);
      }
    }
    const page = pagedList(ctx.params, 'asyncjobs', ctx.jobs.idsSince(since), (jobid) => ({ jobid }));
    if (page.kind !== 'list') return page;
    return { ...page, items: await Promise.all(page.items.map((item) => ctx.jobs.describe(String(item.jobid)))) };
  },
};

/** listCapabilities, queryAsyncJobResult, listAsyncJobs. */
export const systemCommands: CommandDefinition[] = [listCapabilities, queryAsyncJobResult, listAsyncJobs];
