import { Controller, HttpCode, Post, UnprocessableEntityException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProfileLoadError } from '@hostnet/intent';
import { ProfileReloader, type ProfileReloadSummary } from '@hostnet/platform';
import { ApiTokenGuard } from '../auth/api-token.guard';

/**
 * POST /profiles/reload: api re-reads HOSTNET_PROFILES (as SIGHUP does). Only api's copy: the
 * worker derives specs too and reloads on its own SIGHUP (README "Reloading profiles").
 */
@ApiTags('profiles')
@ApiBearerAuth()
@UseGuards(ApiTokenGuard)
@Controller('profiles')
export class ProfilesController {
  constructor(private readonly reloader: ProfileReloader) {}

  @Post('reload')
  @HttpCode(200)
  @ApiOperation({
    summary: "Reload api's host profiles from HOSTNET_PROFILES: validated whole, swapped at once; on error the previous profiles stay and the 422 names the file and each bad field",
  })
  async reload(): Promise<ProfileReloadSummary & { reloaded: true }> {
    try {
      return { reloaded: true, ...(await this.reloader.reload('POST /profiles/reload')) };
    } catch (error) {
      if (!(error instanceof ProfileLoadError)) throw error;
      throw new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: `${error.message}\nthe previous profiles stay in use`,
        file: error.file,
        issues: error.issues,
      });
    }
  }
}
