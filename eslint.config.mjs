import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const libs = [
  'contracts',
  'broker',
  'ingest',
  'storage',
  'rules',
  'alerts',
  'gateway',
  'client',
  'dto',
];

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/apps/*', '**/apps/**'], message: 'Nothing imports an app.' },
            {
              group: ['**/device-simulator/**'],
              message: 'Nothing imports the simulator; what it shares is in a lib (@vigil/client).',
            },
            {
              group: libs.map((lib) => `**/${lib}/src/**`),
              message: 'Import a lib through its alias (@vigil/...), never through its folder.',
            },
          ],
        },
      ],
    },
  },
  {
    // The rules engine is pure: no Nest, no I/O, no adapters (docs/architecture.md).
    files: ['libs/rules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'node:*', 'fs', 'net', 'http', 'rxjs'],
              message: 'libs/rules is pure.',
            },
            {
              group: ['@vigil/*', '!@vigil/contracts'],
              message: 'libs/rules depends on contracts only.',
            },
          ],
        },
      ],
    },
  },
  {
    // The console runs in the browser: the wire contract's types and constants, nothing else.
    files: ['apps/console/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@vigil/*', '!@vigil/contracts', '@nestjs/*', 'class-validator'],
              message: 'The console imports @vigil/contracts only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        module: 'writable',
        require: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
  },
);
