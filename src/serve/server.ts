import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { UsageError } from '../errors.js';

/** Where the built page is: dist/page/, beside this module's folder in the compiled library and in the CLI's bundle. */
export const PAGE_ROOT = new URL('../page/', import.meta.url);

/** The page's files are these kinds only; anything else is not served. */
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.litmus': 'text/plain; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Every response carries these: the page is cross-origin isolated (so its Web Workers may share a
 * SharedArrayBuffer), and nothing of it may be embedded elsewhere.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

export interface PageServer {
  /** Where it listens: http://127.0.0.1:8080/ */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves the files under `root` (the built page) and nothing else: the list of files is read once, at
 * the start, and a request is answered only when its path, decoded, is one of them ("/" is
 * index.html). No path is ever joined to the disk from a request, so no URL reaches outside.
 */
export async function servePage(root: string, port: number, host: string): Promise<PageServer> {
  const files = await listFiles(root);
  const server = createServer((request, response) => {
    const path = pathOf(request.url ?? '/');
    const file = path === null ? undefined : files.get(path === '/' ? '/index.html' : path);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...ISOLATION_HEADERS, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Only GET and HEAD.\n');
      return;
    }
    if (!file) {
      response.writeHead(404, { ...ISOLATION_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not one of the page\'s files.\n');
      return;
    }
    response.writeHead(200, { ...ISOLATION_HEADERS, 'Content-Type': file.type, 'Content-Length': file.body.byteLength });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  });
  const bound = await listen(server, port, host);
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${bound}/`,
    port: bound,
    // A browser keeps its connections open: end them, or closing would wait for them.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The page's files, by URL path, read into memory (they weigh a few hundred KB). */
async function listFiles(root: string): Promise<Map<string, { body: Buffer; type: string }>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => {
    throw new UsageError(`the page is not built (no ${root}): run npm run build first`);
  });
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const entry of entries) {
    const type = TYPES[extname(entry.name)];
    if (!entry.isFile() || !type) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(`/${relative(root, full).split(sep).join('/')}`, { body: await readFile(full), type });
  }
  return files;
}

/** The URL's path, decoded, or null when it cannot be (a bad escape): such a request is no file's. */
function pathOf(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url, 'http://localhost').pathname);
  } catch {
    return null;
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: Error & { code?: string }) => {
      if (error.code === 'EADDRINUSE') reject(new UsageError(`{port} ${port} is in use on ${host}: pick another with --port, or --port 0 for any free one`));
      else if (error.code === 'EACCES') reject(new UsageError(`{port} ${port} needs privileges on ${host}: pick one from 1024, or 0 for any free one`));
      else reject(error);
    });
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
