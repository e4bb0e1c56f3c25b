// ESLint for the project (npm run lint): typescript-eslint's recommended rules with type
// information, and the two this house cares about most: no floating promises (an unawaited store
// write or card update fails silently, after the turn has answered) and no import cycles.
// Which folder may import which is a spec of its own: test/architecture/imports.test.ts.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'tools/**', 'var/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A let read in a closure before its one assignment (a callback set up before the object it reads).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Specs, fakes and benchmarks: stubs, casts and parsed JSON are their trade.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
