// `npm run db:migrate` creates the database if needed and applies pending migrations.
// `npm run db:migration:create -- <name>` writes a new migration from changes to prisma/schema.prisma.
import './load-env.js';
import { ConfigError, loadConfig } from '../config.js';
import { applyMigrations, createMigration, ensureDatabaseExists } from '../db/migrations.js';
import { describeDatabaseError, redactUrl } from '../db/describe-error.js';

const [command = 'deploy', name = 'migration'] = process.argv.slice(2);

try {
  const { database } = loadConfig();
  if (command === 'deploy') {
    if (await ensureDatabaseExists(database.url)) console.log(`Created database ${redactUrl(database.url)}.`);
    const applied = await applyMigrations(database.url);
    console.log(applied.length === 0 ? 'Database is up to date; no migration applied.' : `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}`);
  } else if (command === 'create') {
    const dir = await createMigration(database.url, name);
    console.log(
      dir === null ? 'schema.prisma has no changes; no migration created.' : `Created ${dir}/migration.sql — review it, then run npm run db:migrate.`,
    );
  } else {
    console.error(`Unknown command "${command}". Use "deploy" or "create <name>".`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Migration failed: ${describeDatabaseError(error)}`);
  process.exitCode = 1;
}
