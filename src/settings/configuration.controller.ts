import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Public } from '../common/auth/auth.decorators';
import { ConfigurationService } from './configuration.service';
import { ConfigurationDto } from './dto/configuration.dto';

@ApiTags('configuration')
@Controller('api/configuration')
export class ConfigurationController {
  constructor(private readonly configuration: ConfigurationService) {}

  @Get()
  @Public()
  @ApiOperation({ operationId: 'configuration_retrieve', summary: 'Public configuration of the frontend' })
  @ApiOkResponse({ type: ConfigurationDto })
  retrieve(): ConfigurationDto {
    return this.configuration.retrieve();
  }
}
