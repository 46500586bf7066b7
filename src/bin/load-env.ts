// Entry points import this first: a `.env` file beside package.json, when there is one, fills in
// variables that the real environment does not set (the real environment always wins).
import { existsSync } from 'node:fs';
import { fromProjectRoot } from '../shared/project-root.js';

const envFile = fromProjectRoot('.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);
