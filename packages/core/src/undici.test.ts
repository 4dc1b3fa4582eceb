import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as undici from 'undici';
import { describe, expect, it } from 'vitest';
import { Agent, Pool, request, requestOn } from './undici.js';

describe('the parts of undici loaded without its index', () => {
  it('are the very objects undici exports (an undici release that moves them fails here)', () => {
    expect(Agent).toBe(undici.Agent);
    expect(Pool).toBe(undici.Pool);
    expect(requestOn).toBe(undici.Dispatcher.prototype.request);
  });

  it('request sends to the URL’s origin and path, query included', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.host}`);
      req.resume();
      req.on('end', () => res.writeHead(202).end('taken'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent();
    try {
      const answer = await request(agent, `http://127.0.0.1:${port}/eu-de/v1/events?x=1`, { method: 'POST', body: '[]' });
      expect(answer.statusCode).toBe(202);
      expect(await answer.body.text()).toBe('taken');
      expect(seen).toEqual([`POST /eu-de/v1/events?x=1 127.0.0.1:${port}`]);
    } finally {
      await agent.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
