// scripts/ (dev.ts, its database step) is typechecked by `pnpm typecheck` like every package.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/checkout.ts';

const run = promisify(execFile);
const tsc = path.join(repoRoot, 'node_modules', '.bin', 'tsc');

describe('pnpm typecheck', () => {
  it('runs the scripts project after the packages', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.typecheck).toMatch(/&& pnpm run typecheck:scripts$/);
    expect(scripts['typecheck:scripts']).toBe('tsc -p scripts');
  });

  it('checks scripts/dev.ts and scripts/dev-database.ts, which have no type errors', { timeout: 60_000 }, async () => {
    const { stdout } = await run(tsc, ['-p', 'scripts', '--listFilesOnly'], { cwd: repoRoot });
    const files = stdout.split('\n').map((f) => path.relative(repoRoot, f.trim()));
    expect(files).toEqual(expect.arrayContaining(['scripts/dev.ts', 'scripts/dev-database.ts']));
    await expect(run(tsc, ['-p', 'scripts'], { cwd: repoRoot })).resolves.toMatchObject({ stdout: '' });
  });
});
