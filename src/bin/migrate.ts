// `npm run db:migrate` applies pending migrations to DATABASE_URL.
// `npm run db:migration:create -- <name>` writes a new migration from changes to prisma/schema.prisma.
import { applyMigrations, createMigration } from '../db/migrations.js';

const [command = 'deploy', name = 'migration'] = process.argv.slice(2);
const databaseUrl = process.env['DATABASE_URL'];
if (!databaseUrl) {
  console.error('DATABASE_URL is not set: point it at your PostgreSQL database (see .env.example).');
  process.exit(1);
}

try {
  if (command === 'deploy') {
    const applied = await applyMigrations(databaseUrl);
    console.log(applied.length === 0 ? 'Database is up to date; no migration applied.' : `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}`);
  } else if (command === 'create') {
    const dir = await createMigration(databaseUrl, name);
    console.log(dir === null ? 'schema.prisma has no changes; no migration created.' : `Created ${dir}/migration.sql — review it, then run npm run db:migrate.`);
  } else {
    console.error(`Unknown command "${command}". Use "deploy" or "create <name>".`);
    process.exit(1);
  }
} catch (error) {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
