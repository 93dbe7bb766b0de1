import { CreateIdentityTables1796418600000 } from './1796418600000-CreateIdentityTables';
import { CreateSettingsTable1796418600100 } from './1796418600100-CreateSettingsTable';
import { CreateSigningKeysTable1796418600150 } from './1796418600150-CreateSigningKeysTable';
import { CreateLoginFailuresTable1796418600160 } from './1796418600160-CreateLoginFailuresTable';
import { CreateSupportTables1796418600200 } from './1796418600200-CreateSupportTables';
import { SeedBuiltInDesk1796418600300 } from './1796418600300-SeedBuiltInDesk';
import { SeedSmaxIssueStatuses1796418800000 } from './1796418800000-SeedSmaxIssueStatuses';
import { AddCommentOriginalBody1796418800100 } from './1796418800100-AddCommentOriginalBody';
import { SeedZammadIssueStatuses1796418800200 } from './1796418800200-SeedZammadIssueStatuses';

/** Every migration, oldest first; a new migration is appended here. */
export const MIGRATIONS: Function[] = [
  CreateIdentityTables1796418600000,
  CreateSettingsTable1796418600100,
  CreateSigningKeysTable1796418600150,
  CreateLoginFailuresTable1796418600160,
  CreateSupportTables1796418600200,
  SeedBuiltInDesk1796418600300,
  SeedSmaxIssueStatuses1796418800000,
  AddCommentOriginalBody1796418800100,
  SeedZammadIssueStatuses1796418800200,
];
