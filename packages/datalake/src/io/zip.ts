/** The first member of a zip archive, found through its central directory by range reads. */
import type { ObjectStore } from '../object-store';
import { EmptyFileError, FileReadError } from './errors';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  dataStart: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The first file of a zip archive, found from the central directory with range reads. */
export async function firstZipEntry(store: ObjectStore, bucket: string, key: string, size: number): Promise<ZipEntry> {
  if (size < 22) throw new FileReadError('not a zip archive (too short)');
  const tailStart = Math.max(0, size - (65535 + 22 + 20));
  const tail = Buffer.from(await store.readRange(bucket, key, tailStart, size));
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new FileReadError('not a zip archive (no end of central directory)');
  let entries = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  if ((cdOffset === 0xffffffff || entries === 0xffff) && at >= 20 && tail.readUInt32LE(at - 20) === EOCD64_LOCATOR) {
    const eocd64At = Number(tail.readBigUInt64LE(at - 20 + 8));
    const rec = Buffer.from(await store.readRange(bucket, key, eocd64At, eocd64At + 56));
    if (rec.length < 56 || rec.readUInt32LE(0) !== EOCD64) throw new FileReadError('corrupt zip64 directory');
    entries = Number(rec.readBigUInt64LE(32));
    cdSize = Number(rec.readBigUInt64LE(40));
    cdOffset = Number(rec.readBigUInt64LE(48));
  }
  if (entries === 0) throw new EmptyFileError('the zip archive holds no file');
  const cd = Buffer.from(await store.readRange(bucket, key, cdOffset, cdOffset + Math.min(cdSize, 1024 * 1024)));
  let p = 0;
  while (p + 46 <= cd.length && cd.readUInt32LE(p) === CENTRAL) {
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    let compressedSize = cd.readUInt32LE(p + 20);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    const extra = cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    let uncompressed = cd.readUInt32LE(p + 24);
    // Zip64 extended information: 64-bit values for the fields that are 0xFFFFFFFF, in order.
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(e);
      const len = extra.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressed === 0xffffffff) {
          uncompressed = Number(extra.readBigUInt64LE(q));
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(extra.readBigUInt64LE(q));
          q += 8;
        }
        if (localOffset === 0xffffffff) localOffset = Number(extra.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/') || name.startsWith('__MACOSX/') || name.split('/').pop()!.startsWith('.')) continue;
    if (flags & 0x1) throw new FileReadError(`zip entry ${name} is encrypted`);
    if (method !== 0 && method !== 8) throw new FileReadError(`zip entry ${name} uses compression method ${method}; only stored and deflate are supported`);
    if (uncompressed === 0) throw new EmptyFileError(`the zip entry ${name} is empty`);
    const local = Buffer.from(await store.readRange(bucket, key, localOffset, localOffset + 30));
    if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw new FileReadError(`corrupt zip: bad local header for ${name}`);
    const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    return { name, method, compressedSize, dataStart };
  }
  throw new EmptyFileError('the zip archive holds no file');
}
