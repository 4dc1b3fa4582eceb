import { printError, printWarning } from '../io.js';
import type http from 'node:http';

/** Waits for SIGTERM or SIGINT (once each), and says which came. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.removeListener('SIGTERM', term);
      process.removeListener('SIGINT', int);
      resolve(signal);
    };
    const term = () => on('SIGTERM');
    const int = () => on('SIGINT');
    process.once('SIGTERM', term);
    process.once('SIGINT', int);
  });
}

/** Stops accepting connections and closes the idle ones; resolves once the server is closed. */
export function stopListening(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/** One line on standard error, for people: errors and warnings with the CLI's one prefix each, other notes as they are. */
export const note = (command: string) => (level: string, message: string) => {
  if (level === 'error') printError(`${command}: ${message}`);
  else if (level === 'warn' || level === 'warning') printWarning(`${command}: ${message}`);
  else process.stderr.write(`${command}: ${message}\n`);
};
