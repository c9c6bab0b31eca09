import type { CommandDefinition } from './command-definition';

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


/** listCapabilities, queryAsyncJobResult. */
export const systemCommands: CommandDefinition[] = [listCapabilities, queryAsyncJobResult];
