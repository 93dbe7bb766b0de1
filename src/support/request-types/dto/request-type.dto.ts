import { ApiProperty } from '@nestjs/swagger';

/** A request type as every user sees it. */
export class RequestTypeDto {
  @ApiProperty({ format: 'uri' })
  url: string;

  @ApiProperty({ description: '32 lowercase hex characters' })
  uuid: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  issue_type_name: string;

  @ApiProperty({ description: 'Display order; the type with the lowest order is the default' })
  order: number;
}

/** A request type as staff manage it. */
export class RequestTypeAdminDto extends RequestTypeDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Backend id of a synced type; null for types created by hand' })
  backend_id: number | null;

  @ApiProperty({ nullable: true, type: String })
  backend_name: string | null;

  @ApiProperty({ description: 'Whether the type is offered when creating issues' })
  is_active: boolean;

  @ApiProperty({ description: 'Whether the type was synced from a backend' })
  is_synced: boolean;
}
