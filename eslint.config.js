// ESLint flat config: type-checked TypeScript rules; warnings fail CI (--max-warnings 0).
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');

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
    // The SLA core is pure: no I/O, no frameworks, no environment, no machine clock.
    files: ['src/sla/**/*.ts', 'src/policy/**/*.ts'],
    ignores: ['src/policy/file.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['botbuilder*', '@microsoft/*', 'restify*', '@azure/*', 'fs', 'node:*', 'http', 'https'],
              message: 'src/sla and src/policy are pure: no I/O or framework imports.',
            },
            {
              group: ['../storage/*', '../bot/*', '../api/*', '../watcher/*', '../config'],
              message: 'src/sla must not depend on outer layers.',
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
