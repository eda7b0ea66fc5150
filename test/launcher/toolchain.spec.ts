// scripts/toolchain.sh is strict while it provisions, and gives a shell that sources it its own options
// back: a developer's terminal keeps going after a failing command; CI's strict scripts stay strict.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const sourced = (before: string, after = '') =>
  execFileSync('bash', ['-c', `${before}; source scripts/toolchain.sh 2>/dev/null; set -o | grep -E '^(errexit|nounset|pipefail)'; ${after}`], { cwd: root, encoding: 'utf8' });
const options = (output: string) => Object.fromEntries(output.split('\n').filter((l) => /^(errexit|nounset|pipefail)\s/.test(l)).map((l) => l.split(/\s+/) as [string, string]));

describe('scripts/toolchain.sh, sourced', () => {
  it('leaves a relaxed shell relaxed, with node and pnpm on its PATH', () => {
    const output = sourced('true', 'false | true; false; echo "still here"');
    expect(options(output)).toEqual({ errexit: 'off', nounset: 'off', pipefail: 'off' });
    expect(output).toContain('still here');
    const [node, pnpm] = execFileSync('bash', ['-c', 'source scripts/toolchain.sh 2>/dev/null; node --version; pnpm --version'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
    expect(Number(node!.match(/^v(\d+)\./)?.[1])).toBeGreaterThanOrEqual(22);
    expect(pnpm).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('leaves a strict shell strict', () => {
    expect(options(sourced('set -euo pipefail'))).toEqual({ errexit: 'on', nounset: 'on', pipefail: 'on' });
    expect(() => sourced('set -euo pipefail', 'false; echo "not reached"')).toThrow();
  });
});
