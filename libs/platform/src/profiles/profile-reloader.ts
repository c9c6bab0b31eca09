import { Logger } from '@nestjs/common';
import { loadProfileSetFile, type ProfileSet } from '@hostnet/intent';
import type { HostSpecService } from '@hostnet/host-spec';

/** What a successful reload loaded. */
export interface ProfileReloadSummary {
  file: string;
  profiles: number;
  selectors: number;
  hosts: number;
  reloadedAt: string;
}

/**
 * Re-reads HOSTNET_PROFILES: the whole file is validated first and only a valid set replaces the
 * current one (HostSpecService.useProfiles, one assignment); on any error the previous set stays and
 * the error (a ProfileLoadError naming the file and each bad field) is thrown to the caller.
 * Reloads run one at a time, in the order asked, so the last one asked is the one that stays.
 */
export class ProfileReloader {
  private readonly logger = new Logger(ProfileReloader.name);
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly specs: HostSpecService,
    private readonly load: (file: string) => Promise<ProfileSet> = loadProfileSetFile,
  ) {}

  reload(reason: string): Promise<ProfileReloadSummary> {
    const next = this.queue.then(() => this.reloadNow(reason));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async reloadNow(reason: string): Promise<ProfileReloadSummary> {
    let set: ProfileSet;
    try {
      set = await this.load(this.file);
    } catch (error) {
      this.logger.error(`profile reload (${reason}) failed; the previous profiles stay in use: ${(error as Error).message}`);
      throw error;
    }
    this.specs.useProfiles(set);
    const summary = {
      file: this.file,
      profiles: Object.keys(set.profiles).length,
      selectors: set.selectors.length,
      hosts: Object.keys(set.hosts).length,
      reloadedAt: new Date().toISOString(),
    };
    this.logger.log(`profiles reloaded (${reason}) from ${this.file}: ${summary.profiles} profiles, ${summary.selectors} selectors, ${summary.hosts} hosts`);
    return summary;
  }
}
