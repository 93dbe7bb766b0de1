import { CreateIdentityTables1796418600000 } from './1796418600000-CreateIdentityTables';
import { CreateSettingsTable1796418600100 } from './1796418600100-CreateSettingsTable';
import { CreateLoginFailuresTable1796418600200 } from './1796418600200-CreateLoginFailuresTable';

/** Every migration, oldest first; a new migration is appended here. */
export const MIGRATIONS: Function[] = [CreateIdentityTables1796418600000, CreateSettingsTable1796418600100, CreateLoginFailuresTable1796418600200];
