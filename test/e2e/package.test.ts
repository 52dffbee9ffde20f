import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The package as a user installs it: what `npm pack` puts in, and that the tarball installs and runs
// with no build step and no install script.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
// The scripts are skipped: `prepare` would rebuild dist/ under the other tests' feet.
const pack = (...args: string[]) => run('npm', ['pack', '--ignore-scripts', ...args], { cwd: ROOT, env: { ...process.env, npm_config_loglevel: 'warn' } });

describe('the package', () => {
  it('holds the bin, the built library and bundle, the docs and the licence, and no source maps or sources', async () => {
    const { stdout } = await pack('--dry-run', '--json');
    const [{ files }] = JSON.parse(stdout) as [{ files: { path: string }[] }];
    const paths = files.map((f) => f.path);
    for (const path of ['bin/race-demo.cjs', 'dist/bundle/cli.cjs', 'dist/bundle/worker.js', 'dist/bundle/model-worker.js', 'dist/bundle/futures-worker.js', 'dist/page/index.html', 'dist/page/style.css', 'dist/page/app/app.js', 'dist/page/app/thread-worker.js', 'dist/page/app/model-worker.js', 'dist/index.js', 'dist/index.d.ts', 'LICENSE', 'README.md', 'docs/cli.md', 'package.json']) {
      expect(paths).toContain(path);
    }
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    expect(paths.filter((p) => /^(src|test|bench|\.ci)\//.test(p))).toEqual([]);
  });

  it('installs from its tarball with no build step and no install script, and runs', async () => {
    const where = mkdtempSync(join(tmpdir(), 'race-demo-pack-'));
    await pack('--pack-destination', where);
    const tarball = readdirSync(where).find((f) => f.endsWith('.tgz'))!;
    const project = join(where, 'project');
    await run('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), '{ "name": "user", "private": true }\n');
    const install = await run('npm', ['install', '--no-audit', '--no-fund', join(where, tarball)], { cwd: project, env: { ...process.env, npm_config_loglevel: 'warn' } });
    expect(install.stderr).not.toMatch(/install script|prepare|postinstall/i);
    const { stdout } = await run(join(project, 'node_modules/.bin/race-demo'), ['run', '-t', '2', '-n', '100', '-m', 'atomic,lock', '--expect', 'correct', '--json'], { cwd: project });
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, results: [{ actual: 200 }, { actual: 200 }] });
    const { stdout: fromCode } = await run(process.execPath, ['--input-type=module', '-e', "const { replay } = await import('race-demo'); console.log((await replay()).actual);"], { cwd: project });
    expect(fromCode.trim()).toBe('1');
    // The page ships too: `race-demo serve` from the installed package serves it, isolated.
    const server = spawn(join(project, 'node_modules/.bin/race-demo'), ['serve', '--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let seen = '';
        server.stdout.on('data', (chunk: Buffer) => {
          seen += String(chunk);
          const match = /(http:\/\/\S+\/)/.exec(seen);
          if (match) resolve(match[1]!);
        });
        server.once('exit', (code) => reject(new Error(`serve exited with ${code} before printing its address`)));
      });
      const response = await fetch(`${url}app/app.js`);
      expect([response.status, response.headers.get('cross-origin-embedder-policy')]).toEqual([200, 'require-corp']);
      expect(await response.text()).toContain('crossOriginIsolated');
    } finally {
      server.kill('SIGINT');
    }
  }, 120_000);
});
