// Type-aware lint plus the architecture's dependency rules: pure domain code imports no I/O, use
// cases reach the world through ports, the Discord adapter reaches data only through use cases,
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
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: io, message: 'src/domain is pure: no I/O libraries.' },
            // src/pricing holds only the card's loader (src/domain/pricing is the domain's own); of
            // src/shared, only the pure helpers (not the logger or the project-root lookup).
            {
              regex: String.raw`^(\.\./)+(db|ledger|queue|providers|payments|observability|discord|use-cases|charts|bin|shared/(logger|project-root))(/|\.|$)|load-price-card|/config\.js$`,
              message: 'src/domain imports nothing outside src/domain but the pure helpers of src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/use-cases/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: io, message: 'use cases reach the outside world only through ports.' },
            {
              regex: String.raw`^(\.\./)+(db|ledger|queue|providers|payments|observability|pricing|discord|bin)(/|$)|/config\.js$`,
              message: 'use cases depend on ports, not adapters.',
            },
          ],
        },
      ],
    },
  },
  {
    // Handlers get the bot's use cases (src/use-cases/bot-use-cases.ts) and nothing else: the
    // Discord adapter imports use cases, the domain, src/shared, src/charts, commands/ and its
    // own code — never a port (the types its outbound side implements come re-exported from
    // src/use-cases/adapter-contracts.ts) and never another adapter.
    files: ['src/discord/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`^(\.\./)+(db|ledger|queue|providers|payments|observability|pricing|bin|use-cases/ports)(/|$)|/config\.js$`,
              message: 'src/discord reaches data, jobs and payments only through use cases.',
            },
          ],
        },
      ],
    },
  },
  {
    // The zones above forbid it already (a later block's no-restricted-imports would replace theirs).
    files: ['src/**/*.ts'],
    ignores: ['src/db/**', 'src/ledger/**', 'src/bin/**', 'src/discord/**', 'src/domain/**', 'src/use-cases/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/db/generated/**'], message: 'Only src/db and src/ledger use the generated Prisma client.' }],
        },
      ],
    },
  },
);
