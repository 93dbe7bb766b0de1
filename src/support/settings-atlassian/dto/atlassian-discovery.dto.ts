/** A service desk project found by `discover_projects`. */
export interface AtlassianProjectResponse {
  id: string;
  key: string;
  name: string;
  description?: string;
  /** Id of the project's service desk; `ATLASSIAN_PROJECT_ID` accepts it, the project id or the key. */
  service_desk_id: string;
}

export interface AtlassianRequestTypeResponse {
  id: string;
  name: string;
  description?: string;
  issue_type_id?: string;
}

export interface AtlassianPriorityResponse {
  id: string;
  name: string;
  description?: string;
  icon_url?: string;
}

export interface AtlassianCustomFieldResponse {
  id: string;
  name: string;
  clause_names: string[];
  /** The field's plugin type (`schema.custom`), or its JSON type for system fields. */
  field_type: string;
  required: boolean;
}

/** Result of `validate_credentials`. */
export interface AtlassianCredentialsCheck {
  valid: true;
  auth_method: string;
  user: { account_id: string | null; name: string | null; display_name: string | null; email: string | null; time_zone: string | null };
  server: { base_url: string | null; version: string | null; deployment_type: string | null };
}
