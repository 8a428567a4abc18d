import js from '@eslint/js';
import globals from 'globals';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'out/',
      'node_modules/',
      '.serverless/',
      '.esbuild/',
      'coverage/',
      'test-artifacts/',
      // Mutation testing's sandboxes and reports (npm run mutation).
      '.stryker-tmp/',
      'reports/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The billing core is pure: no I/O, no SDK, no environment, no wall clock.
    files: ['src/billing/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: ['@aws-sdk/*', 'node:*', 'fs', 'path', 'http', 'https', 'child_process', '../*', '../**'],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'src/billing is pure: pass configuration in.' },
        { object: 'Date', property: 'now', message: 'src/billing is pure: pass the as-of time in.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'src/billing is pure: pass the as-of time in.',
        },
      ],
    },
  },
  prettier,
);
