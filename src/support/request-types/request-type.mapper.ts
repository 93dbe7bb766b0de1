import { ApiUrls } from '../../common/http/api-urls';
import { formatUuid } from '../../common/http/uuid';
import { RequestTypeAdminDto, RequestTypeDto } from './dto/request-type.dto';
import type { RequestType } from './request-type.entity';

export function toRequestTypeDto(requestType: RequestType, urls: ApiUrls): RequestTypeDto {
  return {
    url: urls.detail('support-request-types', requestType.uuid),
    uuid: formatUuid(requestType.uuid),
    name: requestType.name,
    issue_type_name: requestType.issueTypeName,
    order: requestType.order,
  };
}

export function toRequestTypeAdminDto(requestType: RequestType, urls: ApiUrls): RequestTypeAdminDto {
  return {
    url: urls.detail('support-request-types-admin', requestType.uuid),
    uuid: formatUuid(requestType.uuid),
    name: requestType.name,
    issue_type_name: requestType.issueTypeName,
    backend_id: requestType.backendId,
    backend_name: requestType.backendName,
    is_active: requestType.isActive,
    order: requestType.order,
    is_synced: requestType.backendId !== null,
  };
}
