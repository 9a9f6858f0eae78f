// Lint and format checks for everything TypeScript and JavaScript in the repository (`npm run lint`).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['node_modules/', 'dist/', 'src/generated/', 'bench/results/', 'test-artifacts/'] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		languageOptions: {
			globals: { ...globals.node },
			parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
		},
		plugins: { '@stylistic': stylistic },
		rules: {
			// Promises that nobody awaits or handles lose their errors; these catch real bugs.
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/await-thenable': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
			'@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
			'@typescript-eslint/no-unsafe-function-type': 'off',
			// `== null` is kept for "null or undefined"; every other comparison is strict.
			eqeqeq: ['error', 'always', { null: 'ignore' }],
			// The house format, checked rather than rewritten: tabs, single quotes, semicolons, trailing commas.
			// Chained conditional types line up under their first branch.
			'@stylistic/indent': ['error', 'tab', { SwitchCase: 1, ignoredNodes: ['TSTypeAliasDeclaration *'] }],
			'@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'always' }],
			'@stylistic/semi': ['error', 'always'],
			'@stylistic/comma-dangle': ['error', 'always-multiline'],
			'@stylistic/no-trailing-spaces': 'error',
			'@stylistic/eol-last': 'error',
			'@stylistic/no-multiple-empty-lines': ['error', { max: 1, maxEOF: 0 }],
			'@stylistic/brace-style': ['error', '1tbs', { allowSingleLine: true }],
			'@stylistic/arrow-parens': ['error', 'always'],
		},
	},
	{
		// Tests read the JSON answers of a server under test: their shape is what the test asserts, so `any` is honest there.
		files: ['test/**/*.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' },
	},
	{
		files: ['src/admin/**/*.js', 'src/user-page/**/*.js', 'src/browser-shared/**/*.js'],
		languageOptions: { globals: { ...globals.browser } },
	},
	{
		files: ['**/*.js'],
		...tseslint.configs.disableTypeChecked,
	},
);
