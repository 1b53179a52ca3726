// The code's own style, JavaScript Standard Style, for TypeScript too.
// typescript-eslint reads sources with TypeScript 5 (package.json's overrides):
// the compiler the project builds with, TypeScript 7, has no JavaScript API.
import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'devnet/**', 'data/**'] }),
  {
    rules: {
      // `void promise` marks work deliberately left to run on its own.
      'no-void': ['error', { allowAsStatement: true }]
    }
  },
  {
    files: ['**/*.ts'],
    rules: {
      // A leading underscore names what is there only to be skipped.
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }]
    }
  },
  {
    files: ['**/*.tsx'],
    rules: {
      // Cabinet pages are rendered once on the server (hono/jsx): no list is reconciled, so no keys.
      'react/jsx-key': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }]
    }
  }
]
