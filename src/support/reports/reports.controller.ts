import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';

import { CurrentUser } from '../../common/auth/auth.decorators';
import type { User } from '../../identity/users/user.entity';
import { SupportStatsDto } from './dto/support-stats.dto';
import { ReportsService } from './reports.service';
import { SupportEndpoint } from '../common/support-endpoint.decorator';

@SupportEndpoint()
@Controller('api')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('support-feedback-report')
  @ApiTags('support-feedback-report')
  @ApiOperation({ operationId: 'support_feedback_report_retrieve', summary: 'Number of feedbacks per evaluation, e.g. {"6": 1, "10": 2}' })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: { type: 'integer' } } })
  feedbackReport(@CurrentUser() user: User): Promise<Record<string, number>> {
    return this.reports.feedbackCounts(user);
  }

  @Get('support-feedback-average-report')
  @ApiTags('support-feedback-average-report')
  @ApiOperation({ operationId: 'support_feedback_average_report_retrieve', summary: 'Average evaluation rounded to 2 decimals, or null' })
  @ApiOkResponse({ schema: { type: 'number', nullable: true } })
  async feedbackAverage(@CurrentUser() user: User, @Res() response: Response): Promise<void> {
    // Written directly, because Nest would send an empty body instead of the JSON `null`.
    response.json(await this.reports.feedbackAverage(user));
  }

  @Get('support-statistics')
  @ApiTags('support-statistics')
  @ApiOperation({ operationId: 'support_statistics_retrieve' })
  @ApiOkResponse({ type: SupportStatsDto })
  statistics(@CurrentUser() user: User): Promise<SupportStatsDto> {
    return this.reports.statistics(user);
  }
}
