import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

/**
 * Streams the upstream's answer body to the client with backpressure, as stream.pipeline would,
 * without what pipeline costs on every call (an AbortController, and on every finish an abort
 * that builds a DOMException: a tenth of the proxy's time on small answers such as manifests).
 *
 * `done()` once the client's response has finished (the whole body handed to the OS); `done(err)`
 * once either side broke off: an upstream error (the client's response is then destroyed, so the
 * client sees a short body, never a complete-looking one), or the client going away first (the
 * upstream body is then destroyed, which returns or closes its connection). Called once.
 */
export function relayBody(body: Readable, res: ServerResponse, done: (err?: Error) => void): void {
  let settled = false;
  const onData = (chunk: Buffer) => {
    if (!res.write(chunk)) body.pause();
  };
  const onDrain = () => body.resume();
  const onEnd = () => res.end();
  const settle = (err?: Error) => {
    if (settled) return;
    settled = true;
    body.off('data', onData);
    body.off('end', onEnd);
    res.off('drain', onDrain);
    if (err) {
      body.on('error', () => undefined);
      body.destroy();
      res.destroy();
    }
    done(err);
  };
  body.on('data', onData);
  body.once('end', onEnd);
  body.once('error', (err: Error) => settle(err));
  res.on('drain', onDrain);
  res.once('finish', () => settle());
  res.once('error', (err: Error) => settle(err));
  res.once('close', () => {
    if (!res.writableFinished) settle(Object.assign(new Error('the client went away before the whole answer was sent'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
  });
}
