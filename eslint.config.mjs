// Lint: type-aware rules everywhere, and workflow files may import only deterministic code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.tongchou/', 'coverage/', 'test-output/', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no I/O, no Node built-ins, no app modules
    // except pure domain helpers. Activities are referenced by type only.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(?!@temporalio/workflow$|@temporalio/common$|\\./|\\.\\./src/domain/|\\.\\./activities)', message: 'Workflow files may import only @temporalio/workflow, workflow helpers (./), pure domain code and `import type` of activities.' },
          { regex: '^\\.\\./activities', allowTypeImports: true, message: 'Import activities with `import type` only.' },
        ],
      }],
    },
  },
);
