import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { distDir } from './site.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.pf_meta': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_filter': 'application/octet-stream',
};

/**
 * The 404 page for a missing path: the one of the path's language (/zh-cn/… gets
 * zh-cn/404/index.html), as hosts that look for the nearest 404 page serve it; else 404.html.
 */
function notFoundPage(pathname: string): string {
  const locale = /^\/([^/]+)\//.exec(pathname)?.[1];
  const own = locale ? path.join(distDir, locale, '404', 'index.html') : undefined;
  return own && fs.existsSync(own) ? own : path.join(distDir, '404.html');
}

/**
 * Serves the built site as a static host would: /events/ is events/index.html, /events is
 * redirected to /events/, anything else missing is the site's 404 page in the path's language.
 */
export async function serveDist(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = path.join(distDir, pathname);
    if (!file.startsWith(distDir)) file = distDir; // no escaping the site
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { location: `${pathname}/` }).end();
        return;
      }
      file = path.join(file, 'index.html');
    }
    const found = fs.existsSync(file) && fs.statSync(file).isFile();
    if (!found) {
      res.writeHead(404, { 'content-type': TYPES['.html']! }).end(fs.readFileSync(notFoundPage(pathname)));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
