// Entry points import this first: a `.env` file beside package.json, when there is one, fills in
// variables that the real environment does not set (the real environment always wins).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const envFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);
