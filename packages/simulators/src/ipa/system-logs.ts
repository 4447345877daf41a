import { gzipSync } from 'node:zlib';

const BLOCK = 512;

/**
 * What `log.collect_system_logs` returns in `system_logs`: a base64 gzipped tar, as IPA builds it,
 * here holding one text file. Ironic base64-decodes it and stores it as `<node>_<time>.tar.gz`.
 */
export function systemLogsArchive(fileName: string, text: string, mtimeSeconds: number): string {
  const data = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(BLOCK);
  header.write(fileName.slice(0, 99), 0, 'utf8');
  header.write('0000644\0', 100, 'ascii');
  header.write('0000000\0', 108, 'ascii');
  header.write('0000000\0', 116, 'ascii');
  header.write(`${octal(data.length, 11)}\0`, 124, 'ascii');
  header.write(`${octal(Math.floor(mtimeSeconds), 11)}\0`, 136, 'ascii');
  // The checksum is computed with its own field read as spaces.
  header.write('        ', 148, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  header.write('root', 265, 'ascii');
  header.write('root', 297, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${octal(sum, 6)}\0 `, 148, 'ascii');
  const padding = Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK);
  const archive = Buffer.concat([header, data, padding, Buffer.alloc(2 * BLOCK)]);
  return gzipSync(archive).toString('base64');
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width, '0');
}
