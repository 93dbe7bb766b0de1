import { ApiUrls } from '../../../common/http/api-urls';
import { formatUuid } from '../../../common/http/uuid';
import { Customer } from '../customer.entity';

/** A customer (organization) as the API renders it. */
export interface CustomerDto {
  uuid: string;
  url: string;
  name: string;
  display_name: string;
  abbreviation: string;
  native_name: string;
  email: string;
  description: string;
  backend_id: string;
  created: string;
}

export function toCustomerDto(customer: Customer, urls: ApiUrls): CustomerDto {
  return {
    uuid: formatUuid(customer.uuid),
    url: urls.detail('customers', customer.uuid),
    name: customer.name,
    display_name: customer.nativeName ? `${customer.name} / ${customer.nativeName}` : customer.name,
    abbreviation: customer.abbreviation,
    native_name: customer.nativeName,
    email: customer.email,
    description: customer.description,
    backend_id: customer.backendId,
    created: customer.created.toISOString(),
  };
}
