// A small PNG decoder for the icon tests, independent of the generator: checks the signature and every
// chunk's CRC, reads IHDR, inflates IDAT and undoes the five row filters. 8-bit, non-interlaced, colour
// types 2 (RGB), 4 (grey + alpha) and 6 (RGBA); pixels come back as RGBA.
import { crc32, inflateSync } from 'node:zlib';

export interface Png {
  readonly width: number;
  readonly height: number;
  /** 2 RGB, 4 grey + alpha, 6 RGBA: only 4 and 6 carry transparency. */
  readonly colorType: number;
  readonly rgba: Uint8Array;
}

const CHANNELS: Readonly<Record<number, number>> = { 2: 3, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Decodes a PNG; throws on a bad signature, CRC, header or filter.
 * @example decodePng(readFileSync('appPackage/outline.png')).rgba[3] // alpha of the top-left pixel
 */
export function decodePng(file: Buffer): Png {
  if (file.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG signature');
  let at = 8;
  let header:
    { width: number; height: number; depth: number; colorType: number; interlace: number } | undefined;
  const idat: Buffer[] = [];
  for (;;) {
    const length = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    const body = file.subarray(at + 8, at + 8 + length);
    if (crc32(file.subarray(at + 4, at + 8 + length)) !== file.readUInt32BE(at + 8 + length)) {
      throw new Error(`${type}: CRC mismatch`);
    }
    at += 12 + length;
    if (type === 'IHDR') {
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        depth: body.readUInt8(8),
        colorType: body.readUInt8(9),
        interlace: body.readUInt8(12),
      };
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      break;
    }
  }
  if (header === undefined) throw new Error('no IHDR');
  const { width, height, depth, colorType, interlace } = header;
  const channels = CHANNELS[colorType];
  if (depth !== 8 || channels === undefined || interlace !== 0) {
    throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${interlace}`);
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== height * (stride + 1)) throw new Error('image data has the wrong length');
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const byte = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= channels ? (pixels[y * stride + x - channels] ?? 0) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] ?? 0) : 0;
      const predicted = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter ?? 0];
      if (predicted === undefined) throw new Error(`row ${y}: unknown filter ${filter}`);
      pixels[y * stride + x] = (byte + predicted) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const p = pixels.subarray(i * channels, (i + 1) * channels);
    const [r, g, b, a] =
      colorType === 6
        ? [p[0], p[1], p[2], p[3]]
        : colorType === 4
          ? [p[0], p[0], p[0], p[1]]
          : [p[0], p[1], p[2], 255];
    rgba.set([r ?? 0, g ?? 0, b ?? 0, a ?? 0], i * 4);
  }
  return { width, height, colorType, rgba };
}
