// A copy of this checkout in a fresh directory of mode 0700, as a clone under /root or in `mktemp -d`
// would be: no user but its owner can enter it (as root, not the `postgres` user Postgres runs as). The
// sources are copied; the installed packages are hard links to the same files, which is instant; the
// provisioned toolchain (.tools) is shared.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export async function copyCheckoutToClosedDirectory(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sb-checkout-'));
  await chmod(dir, 0o700);
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot });
  for (const file of stdout.split('\0').filter(Boolean)) {
    if (!existsSync(path.join(repoRoot, file))) continue; // deleted in the work tree
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    // Timestamps kept: ./switchboard reinstalls when pnpm-lock.yaml is newer than the installation.
    await cp(path.join(repoRoot, file), path.join(dir, file), { preserveTimestamps: true });
  }
  for (const modules of ['node_modules', ...['api', 'db', 'edge', 'test', 'web'].map((p) => `${p}/node_modules`)]) {
    await run('cp', ['-al', path.join(repoRoot, modules), path.join(dir, modules)]);
  }
  // pnpm rewrites its records of the installation in place: the copy gets files of its own.
  for (const record of ['.modules.yaml', '.pnpm-workspace-state-v1.json'].map((f) => path.join('node_modules', f))) {
    if (!existsSync(path.join(repoRoot, record))) continue;
    await rm(path.join(dir, record));
    await cp(path.join(repoRoot, record), path.join(dir, record), { preserveTimestamps: true });
  }
  if (existsSync(path.join(repoRoot, '.tools'))) await symlink(path.join(repoRoot, '.tools'), path.join(dir, '.tools'));
  return dir;
}
