import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Captured vendor payloads live in `shared/fixtures/<vendor>`, in the shared folder beside
 * the checkout: the nearest ancestor directory holding it wins, and `DESKBRIDGE_SHARED_DIR`
 * overrides the search.
 */
export function sharedFixturesDir(vendor: string): string {
  const override = process.env.DESKBRIDGE_SHARED_DIR;
  if (override) return join(override, 'fixtures', vendor);
  for (let directory = __dirname; ; directory = dirname(directory)) {
    const candidate = join(directory, 'shared', 'fixtures', vendor);
    if (existsSync(candidate)) return candidate;
    if (dirname(directory) === directory) {
      throw new Error(`Missing shared/fixtures/${vendor} above ${__dirname}; set DESKBRIDGE_SHARED_DIR to the shared folder`);
    }
  }
}

/** Names of the JSON files of one vendor, sorted. */
export function listSharedFixtures(vendor: string): string[] {
  return readdirSync(sharedFixturesDir(vendor))
    .filter((name) => name.endsWith('.json'))
    .sort();
}

export function readSharedFixture(vendor: string, name: string): any {
  return JSON.parse(readFileSync(join(sharedFixturesDir(vendor), name), 'utf8'));
}
