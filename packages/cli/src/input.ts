import fs from 'node:fs';
import { RegtrailError } from '@regtrail/core/catalog';

/** The file to read, or standard input for '-' or none; a file that cannot be read is a usage error. */
export function openInput(file: string | undefined): { name: string; stream: AsyncIterable<Buffer> } {
  if (file === undefined || file === '-') return { name: '(stdin)', stream: process.stdin };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new RegtrailError('NO_FILE', `cannot read ${file}: no such file`);
  }
  if (stat.isDirectory()) throw new RegtrailError('NO_FILE', `cannot read ${file}: it is a directory`);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new RegtrailError('NO_FILE', `cannot read ${file}: permission denied`);
  }
  return { name: file, stream: fs.createReadStream(file, { highWaterMark: 256 * 1024 }) };
}
