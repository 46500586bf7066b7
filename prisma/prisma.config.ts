// Prisma CLI configuration. It lives beside the schema (passed with --config) to keep the root small.
// `prisma generate` needs no database; the URL matters only to the CLI's own migrate commands on a
// machine that can download Prisma's schema-engine binary (ours use src/bin/migrate.ts instead).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/imagine_credits' },
});
