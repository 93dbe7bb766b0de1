import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiUrls } from '../../common/http/api-urls';
import { Pagination, Paginator, Urls } from '../../common/http/pagination';
import { RequestTypeDto } from './dto/request-type.dto';
import { RequestTypesService } from './request-types.service';
import { SupportEndpoint } from '../common/support-endpoint.decorator';

@ApiTags('support-request-types')
@SupportEndpoint()
@Controller('api/support-request-types')
export class RequestTypesController {
  constructor(private readonly requestTypes: RequestTypesService) {}

  @Get()
  @ApiOperation({ operationId: 'support_request_types_list', summary: 'Active request types, by order then name' })
  @ApiOkResponse({ type: RequestTypeDto, isArray: true })
  list(@Pagination() paginator: Paginator, @Urls() urls: ApiUrls): Promise<RequestTypeDto[]> {
    return this.requestTypes.listActive(paginator, urls);
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'support_request_types_retrieve' })
  @ApiOkResponse({ type: RequestTypeDto })
  retrieve(@Param('uuid') uuid: string, @Urls() urls: ApiUrls): Promise<RequestTypeDto> {
    return this.requestTypes.retrieveActive(uuid, urls);
  }
}
