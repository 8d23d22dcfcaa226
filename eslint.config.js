// ESLint flat config: type-checked TypeScript rules; warnings fail CI (--max-warnings 0).
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');

// The layout's fences (docs/architecture.md); test/architecture.test.ts checks the same rules on resolved paths.
const DOMAIN = ['sla', 'policy', 'tickets', 'outages', 'oncall', 'stats', 'reports', 'staff', 'kit', 'cards'];
const ADAPTER_IMPORTS = [
  {
    regex: '^(\\.\\./)+(adapters|watcher|cli)(/.*)?$',
    message:
      'Domain folders and cards must not import adapters (src/adapters: storage, bot, teams, api, server) or the application.',
  },
  {
    regex: '^(\\.\\./)+(config|parts|app|index)$',
    message:
      'Domain folders and cards take options; config.ts, parts.ts and app.ts belong to the composition root.',
  },
  {
    group: [
      'botbuilder',
      'botbuilder-*',
      'botframework-*',
      '@microsoft/teams-ai',
      '@azure/*',
      'restify',
      'restify-*',
    ],
    message: 'Domain folders and cards use no Teams, Azure or HTTP framework: those live in the adapters.',
  },
];

module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'coverage/**',
      'tab/dist/**',
      'test-results/**',
      '.data/**',
      '.deploy/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Domain folders and cards know nothing of storage, Teams, HTTP or configuration: they take ports and options.
    files: DOMAIN.map((d) => `src/domain/${d}/**/*.ts`),
    rules: { 'no-restricted-imports': ['error', { patterns: ADAPTER_IMPORTS }] },
  },
  {
    // The SLA core is also pure: no I/O, no environment, no machine clock.
    files: ['src/domain/sla/**/*.ts', 'src/domain/policy/**/*.ts'],
    ignores: ['src/domain/policy/file.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...ADAPTER_IMPORTS,
            {
              group: ['botbuilder*', '@microsoft/*', 'restify*', '@azure/*', 'fs', 'node:*', 'http', 'https'],
              message: 'src/sla and src/policy are pure: no I/O or framework imports.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Take `now` as a parameter.' },
        { object: 'process', property: 'env', message: 'Configuration is read in src/config.ts only.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The SLA core does not touch the process.' },
      ],
    },
  },
  {
    // The watcher reaches Teams through ports that app.ts wires; it never imports the bot or the Teams adapter.
    files: ['src/watcher/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+adapters/(bot|teams)(/.*)?$',
              message: 'src/watcher talks to Teams through ports (see docs/architecture.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // React event props take handlers like `(_e, d) => setValue(d.value)`: a void-returning shorthand is the idiom.
    files: ['tab/**/*.ts', 'tab/**/*.tsx', 'tab/**/*.mts'],
    rules: { '@typescript-eslint/no-confusing-void-expression': 'off' },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
