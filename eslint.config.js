// Type-aware lint plus the architecture's dependency rules: pure domain code imports no I/O,
// and only the ledger and db layers touch the generated Prisma client.
import tseslint from 'typescript-eslint';

const io = ['discord.js', '@discordjs/*', 'bullmq', 'ioredis', 'replicate', 'pg', '@prisma/*', 'stripe', 'node:*', 'fs', 'net', 'http', 'https'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'src/db/generated/', 'bench/results.json'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: io, message: 'src/domain is pure: no I/O libraries.' },
          { group: ['**/db/**', '**/ledger/**', '**/use-cases/**', '**/pricing/**', '**/config.js'], message: 'src/domain imports nothing outside src/domain.' },
        ],
      }],
    },
  },
  {
    files: ['src/use-cases/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: io, message: 'use cases reach the outside world only through ports.' },
          { group: ['**/db/**', '**/ledger/**', '**/config.js'], message: 'use cases depend on ports, not adapters.' },
        ],
      }],
    },
  },
  {
    files: ['src/discord/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/db/**', '**/ledger/**', '**/queue/**', '**/providers/**', '**/config.js'], message: 'The Discord adapter reaches data and jobs through use cases and ports.' }],
      }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/db/**', 'src/ledger/**', 'src/bin/**', 'src/discord/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/db/generated/**'], message: 'Only src/db and src/ledger use the generated Prisma client.' }],
      }],
    },
  },
);
