// One real Postgres for the whole run: embedded and throwaway (db/src/testing.ts).
import type { TestProject } from 'vitest/node';
import { startTestDatabase } from '@switchboard/db/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    ownerUrl: string;
    appUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const db = await startTestDatabase();
  project.provide('ownerUrl', db.ownerUrl);
  project.provide('appUrl', db.appUrl);
  return () => db.stop();
}
