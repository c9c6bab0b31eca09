import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ZoneTopologyService } from '@hostnet/cloudstack';
import { loadProfileSetFile, type ProfileSet } from '@hostnet/intent';
import { HostSpecService, TopologyCache } from '@hostnet/host-spec';
import { cloudStackProviders } from './cloudstack/cloudstack.providers';
import type { SpecSourceConfig } from './config/config.tokens';
import { ProfileReloader } from './profiles/profile-reloader';
import { SighupProfileReload } from './profiles/sighup-profile-reload';

/** The profiles as loaded at boot; HostSpecService.profiles holds the current ones (reloads replace them there). */
export const PROFILE_SET = Symbol('PROFILE_SET');
/** How long one zone topology serves the triggers of a rollout before CloudStack is asked again. */
const TOPOLOGY_MAX_AGE_MS = 15_000;

/**
 * What host specs are derived from, for api only (it derives once per trigger and re-checks at result
 * time): the CloudStack client and topology discovery, the host profiles (loaded and validated at boot,
 * so a bad file stops the app before it takes work; reloaded on SIGHUP, keeping the old set when the
 * new file is bad) and the spec service that turns both into intents. Needs PlatformModule.
 */
@Global()
@Module({})
export class SpecSourceModule {
  /** `profiles`: the set the app already loaded from HOSTNET_PROFILES (api's main, to refuse a bad file before Nest starts). */
  static forRoot(config: SpecSourceConfig, profiles?: ProfileSet): DynamicModule {
    return {
      module: SpecSourceModule,
      providers: [
        ...cloudStackProviders,
        profiles ? { provide: PROFILE_SET, useValue: profiles } : { provide: PROFILE_SET, useFactory: () => loadProfileSetFile(config.HOSTNET_PROFILES) },
        {
          provide: HostSpecService,
          inject: [PROFILE_SET],
          useFactory: (profiles: ProfileSet) => new HostSpecService(profiles),
        },
        {
          provide: ProfileReloader,
          inject: [HostSpecService],
          useFactory: (specs: HostSpecService) => new ProfileReloader(config.HOSTNET_PROFILES, specs),
        },
        { provide: SighupProfileReload, inject: [ProfileReloader], useFactory: (reloader: ProfileReloader) => new SighupProfileReload(reloader) },
        {
          provide: TopologyCache,
          inject: [ZoneTopologyService],
          useFactory: (topology: ZoneTopologyService) => new TopologyCache(topology, { maxAgeMs: TOPOLOGY_MAX_AGE_MS, staticMaxAgeMs: config.CLOUDSTACK_TOPOLOGY_TTL_MS, readSinceSpacingMs: config.CLOUDSTACK_RECHECK_SPACING_MS }),
        },
      ],
      exports: [...cloudStackProviders, PROFILE_SET, HostSpecService, ProfileReloader, TopologyCache],
    };
  }
}
