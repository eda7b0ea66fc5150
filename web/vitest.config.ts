// Unit tests for the dashboard's pure helpers; components and the api are exercised by test/e2e.
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['src/**/*.spec.ts'],
		environment: 'node'
	}
});
