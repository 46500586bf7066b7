import { applyMigrations } from '../../src/db/migrations.js';
import { adminQuery, serverUrl, templateDatabase } from './database.js';

/** Builds the template database from prisma/migrations, the same way `npm run db:migrate` does. */
export default async function setup(): Promise<void> {
  await adminQuery(`DROP DATABASE IF EXISTS "${templateDatabase}" WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE "${templateDatabase}"`);
  await applyMigrations(serverUrl(templateDatabase));
}
