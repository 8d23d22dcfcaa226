// A small zip reader for the package tests, written from the format (APPNOTE), not from the packager: walks
// the central directory from the end record, reads each local entry, inflates it and checks its CRC and size.
import { crc32, inflateRawSync } from 'node:zlib';

const END = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * The archive's files by name; throws on anything a zip tool would reject.
 * @example readZip(zipBuffer).get('manifest.json')?.toString('utf8')
 */
export function readZip(archive: Buffer): Map<string, Buffer> {
  let end = -1;
  for (let i = archive.length - 22; i >= Math.max(0, archive.length - 22 - 0xffff); i--) {
    if (archive.readUInt32LE(i) === END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('no end of central directory record');
  const count = archive.readUInt16LE(end + 10);
  const size = archive.readUInt32LE(end + 12);
  let at = archive.readUInt32LE(end + 16);
  if (at + size !== end) throw new Error('central directory does not end where the end record starts');
  const files = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (archive.readUInt32LE(at) !== CENTRAL) throw new Error(`entry ${n}: bad central header`);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const packed = archive.readUInt32LE(at + 20);
    const length = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extra = archive.readUInt16LE(at + 30);
    const comment = archive.readUInt16LE(at + 32);
    const offset = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extra + comment;

    if (archive.readUInt32LE(offset) !== LOCAL) throw new Error(`${name}: bad local header`);
    if (archive.toString('utf8', offset + 30, offset + 30 + archive.readUInt16LE(offset + 26)) !== name) {
      throw new Error(`${name}: local and central names differ`);
    }
    const start = offset + 30 + archive.readUInt16LE(offset + 26) + archive.readUInt16LE(offset + 28);
    const body = archive.subarray(start, start + packed);
    const data = method === 0 ? Buffer.from(body) : method === 8 ? inflateRawSync(body) : undefined;
    if (data === undefined) throw new Error(`${name}: compression method ${method} is not stored or deflate`);
    if (data.length !== length)
      throw new Error(`${name}: ${data.length} bytes, the directory says ${length}`);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
    if (files.has(name)) throw new Error(`${name}: twice in the archive`);
    files.set(name, data);
  }
  return files;
}
