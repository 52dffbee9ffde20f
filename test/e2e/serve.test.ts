import { createServer } from 'node:http';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { lines, runCli, startCli } from '../helpers/cli.js';

// race-demo serve from the built CLI: the page's files with the isolation headers, nothing else,
// a port in use refused, Ctrl-C a clean stop.

/** The address `serve --port 0` prints, once it does. */
async function started(): Promise<{ url: string; stop: () => Promise<{ exitCode: number | null; stdout: string }> }> {
  const server = startCli(['serve', '--port', '0']);
  const url = await new Promise<string>((resolve) => {
    let seen = '';
    server.child.stdout!.on('data', (chunk: string) => {
      seen += String(chunk);
      const match = /(http:\/\/\S+\/)/.exec(seen);
      if (match) resolve(match[1]!);
    });
  });
  return {
    url,
    stop: async () => {
      server.child.kill('SIGINT');
      return server.done;
    },
  };
}

/** A raw GET, with the path exactly as given (no client tidies `..` away). */
function get(url: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('race-demo serve', () => {
  it('serves the page on localhost with the headers that make it cross-origin isolated, and stops cleanly on Ctrl-C', async () => {
    const server = await started();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get(server.url, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="app/app.js">');
    expect(page.headers).toMatchObject({ 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'content-type': 'text/html; charset=utf-8' });
    const script = await get(server.url, '/app/app.js');
    expect(script).toMatchObject({ status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8', 'cross-origin-resource-policy': 'same-origin' } });
    const { exitCode, stdout } = await server.stop();
    expect(exitCode).toBe(0);
    expect(stdout).toContain('race-demo serve: stopped');
  });

  it('serves only its own files, whatever the URL', async () => {
    const server = await started();
    try {
      for (const path of ['/../package.json', '/%2e%2e/package.json', '/app/../../package.json', '/..%2f..%2fpackage.json', '/etc/passwd', '/app/', '/%', '/app/../../../etc/passwd']) {
        const { status } = await get(server.url, path);
        expect([path, status]).toEqual([path, 404]);
      }
    } finally {
      await server.stop();
    }
  });

  it('refuses a port in use: exit 2, one line, nothing served', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const { exitCode, stdout, stderr } = await runCli(['serve', '--port', String(port)]);
      expect(exitCode).toBe(2);
      expect(stdout).toBe('');
      expect(lines(stderr)).toEqual([`race-demo: error: --port ${port} is in use on 127.0.0.1: pick another with --port, or --port 0 for any free one`]);
    } finally {
      taken.close();
    }
  });

  it('refuses a port that is not one', async () => {
    const { exitCode, stderr } = await runCli(['serve', '--port', '70000']);
    expect(exitCode).toBe(2);
    expect(lines(stderr)).toEqual(["race-demo: error: option '-p, --port <n>' argument '70000' is invalid. Allowed: a port from 1 to 65535, or 0 for any free one."]);
  });
});
