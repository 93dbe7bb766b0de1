import { CreateIdentityTables1796418600000 } from './1796418600000-CreateIdentityTables';
import { CreateSettingsTable1796418600100 } from './1796418600100-CreateSettingsTable';
import { CreateSigningKeysTable1796418600150 } from './1796418600150-CreateSigningKeysTable';
import { CreateLoginFailuresTable1796418600160 } from './1796418600160-CreateLoginFailuresTable';
import { CreateSupportTables1796418600200 } from './1796418600200-CreateSupportTables';
import { SeedBuiltInDesk1796418600300 } from './1796418600300-SeedBuiltInDesk';
import { CreateSyncOutboxTable1796418700000 } from './1796418700000-CreateSyncOutboxTable';
import { CreateSyncInboxTables1796418700100 } from './1796418700100-CreateSyncInboxTables';
import { CreateSyncEchoTable1796418700200 } from './1796418700200-CreateSyncEchoTable';
import { CreateSyncWatermarksTable1796418700300 } from './1796418700300-CreateSyncWatermarksTable';
import { CreateSyncJobRunsTable1796418700400 } from './1796418700400-CreateSyncJobRunsTable';
import { SeedSmaxIssueStatuses1796418800000 } from './1796418800000-SeedSmaxIssueStatuses';
import { AddCommentOriginalBody1796418800100 } from './1796418800100-AddCommentOriginalBody';
import { SeedZammadIssueStatuses1796418800200 } from './1796418800200-SeedZammadIssueStatuses';
import { AddAttachmentCommentLink1796418800300 } from './1796418800300-AddAttachmentCommentLink';
import { AddAttachmentFromBackend1796418800400 } from './1796418800400-AddAttachmentFromBackend';
import { AddRequestTypeManualMapping1796418800410 } from './1796418800410-AddRequestTypeManualMapping';

/** Every migration, oldest first; a new migration is appended here. */
export const MIGRATIONS: Function[] = [
  CreateIdentityTables1796418600000,
  CreateSettingsTable1796418600100,
  CreateSigningKeysTable1796418600150,
  CreateLoginFailuresTable1796418600160,
  CreateSupportTables1796418600200,
  SeedBuiltInDesk1796418600300,
  CreateSyncOutboxTable1796418700000,
  CreateSyncInboxTables1796418700100,
  CreateSyncEchoTable1796418700200,
  CreateSyncWatermarksTable1796418700300,
  CreateSyncJobRunsTable1796418700400,
  SeedSmaxIssueStatuses1796418800000,
  AddCommentOriginalBody1796418800100,
  SeedZammadIssueStatuses1796418800200,
  AddAttachmentCommentLink1796418800300,
  AddAttachmentFromBackend1796418800400,
  AddRequestTypeManualMapping1796418800410,
];
