// Draws SLA Desk's Teams icons — a stopwatch with a check mark: the reply that arrives before its deadline —
// and writes them as PNG with node built-ins only (zlib, hand-written chunks). Shapes are signed distances,
// anti-aliased by supersampling. Run `npx tsx appPackage/icons.ts` after a change and commit the PNGs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

/** The manifest's accentColor; the colour icon's background. */
export const ACCENT = '#0F766E';

/** An image as 8-bit RGBA rows, top to bottom. */
export interface Rgba {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

type Point = readonly [number, number];
/** Signed distance from a point to a shape's edge: negative inside, positive outside (glyph units). */
type Shape = (x: number, y: number) => number;

const circle =
  (c: Point, r: number): Shape =>
  (x, y) =>
    Math.hypot(x - c[0], y - c[1]) - r;

const ring =
  (c: Point, r: number, width: number): Shape =>
  (x, y) =>
    Math.abs(Math.hypot(x - c[0], y - c[1]) - r) - width / 2;

/** A stroke from a to b with round caps. */
const segment =
  (a: Point, b: Point, width: number): Shape =>
  (x, y) => {
    const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
    const t = Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - a[0] - t * dx, y - a[1] - t * dy) - width / 2;
  };

const roundedRect =
  (c: Point, halfWidth: number, halfHeight: number, radius: number): Shape =>
  (x, y) => {
    const qx = Math.abs(x - c[0]) - halfWidth + radius;
    const qy = Math.abs(y - c[1]) - halfHeight + radius;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
  };

/** The part of a disc swept clockwise from 12 o'clock through `turns` of a full turn. */
const sector = (c: Point, r: number, turns: number): Shape => {
  const end = turns * 2 * Math.PI;
  const edges = [
    segment(c, [c[0], c[1] - r], 0),
    segment(c, [c[0] + r * Math.sin(end), c[1] - r * Math.cos(end)], 0),
  ];
  return (x, y) => {
    const toEdge = Math.min(...edges.map((edge) => edge(x, y)));
    const angle = (Math.atan2(x - c[0], -(y - c[1])) + 2 * Math.PI) % (2 * Math.PI);
    return angle <= end ? Math.max(circle(c, r)(x, y), -toEdge) : toEdge;
  };
};

const union =
  (...shapes: Shape[]): Shape =>
  (x, y) => {
    let d = Infinity;
    for (const shape of shapes) d = Math.min(d, shape(x, y));
    return d;
  };

/** Stroke widths of one rendering, in glyph units (the glyph spans -0.5…0.5 both ways). */
interface Strokes {
  readonly ring: number;
  readonly check: number;
  readonly crown: number;
}

/** The stopwatch: ring, crown on a stem, a side button at 45°, and a check mark inside. */
function stopwatch(s: Strokes): { body: Shape; face: Point; radius: number } {
  const face: Point = [0, 0.09];
  const radius = 0.41 - s.ring / 2;
  const top = face[1] - radius - s.ring / 2;
  const side = (k: number): Point => [
    face[0] + Math.SQRT1_2 * (radius + k),
    face[1] - Math.SQRT1_2 * (radius + k),
  ];
  const body = union(
    ring(face, radius, s.ring),
    roundedRect([0, top - s.crown * 0.55], s.crown * 0.42, s.crown * 0.55, s.crown * 0.2),
    roundedRect([0, top - s.crown * 1.45], s.crown * 1.25, s.crown * 0.5, s.crown * 0.45),
    segment(side(s.ring * 0.3), side(s.ring * 0.3 + s.crown * 1.15), s.crown * 0.95),
    segment(
      [face[0] - radius * 0.5, face[1] + radius * 0.02],
      [face[0] - radius * 0.14, face[1] + radius * 0.38],
      s.check,
    ),
    segment(
      [face[0] - radius * 0.14, face[1] + radius * 0.38],
      [face[0] + radius * 0.52, face[1] - radius * 0.3],
      s.check,
    ),
  );
  return { body, face, radius };
}

/**
 * Fraction of a pixel's n×n sub-samples that fall inside the shape. A pixel whose centre is more than
 * `margin` (glyph units, over half its diagonal) from the edge is wholly in or out: the shapes' distances
 * never overstate, so only pixels on an edge are sampled.
 */
function coverage(
  shape: Shape,
  toGlyph: (px: number, py: number) => Point,
  margin: number,
  px: number,
  py: number,
  n: number,
): number {
  const centre = shape(...toGlyph(px + 0.5, py + 0.5));
  if (centre > margin) return 0;
  if (centre < -margin) return 1;
  let inside = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const [x, y] = toGlyph(px + (i + 0.5) / n, py + (j + 0.5) / n);
      if (shape(x, y) <= 0) inside++;
    }
  }
  return inside / (n * n);
}

const SAMPLES = 8;

function hex(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (m === null) throw new Error(`not a #rrggbb colour: ${color}`);
  return [parseInt(m[1] ?? '', 16), parseInt(m[2] ?? '', 16), parseInt(m[3] ?? '', 16)];
}

/**
 * The colour icon: a white stopwatch and check on a solid accent square (Teams rounds the corners), the
 * glyph about 120 px of 192 as Teams' icon guidance asks, and a lighter sector for the time already used.
 * @example renderColor().width // 192
 */
export function renderColor(size = 192): Rgba {
  const glyphPx = size * 0.625;
  const toGlyph = (px: number, py: number): Point => [(px - size / 2) / glyphPx, (py - size / 2) / glyphPx];
  const { body, face, radius } = stopwatch({ ring: 0.085, check: 0.085, crown: 0.075 });
  const used = sector(face, radius - 0.06, 0.62);
  const bg = hex(ACCENT);
  const data = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const tint = 0.16 * coverage(used, toGlyph, 0.75 / glyphPx, px, py, SAMPLES);
      const ink = coverage(body, toGlyph, 0.75 / glyphPx, px, py, SAMPLES);
      const o = (py * size + px) * 4;
      for (let k = 0; k < 3; k++) {
        const under = (bg[k] ?? 0) * (1 - tint) + 255 * tint;
        data[o + k] = Math.round(under * (1 - ink) + 255 * ink);
      }
      data[o + 3] = 255;
    }
  }
  return { width: size, height: size, data };
}

/**
 * The outline icon: the same stopwatch in white on transparency, filling the canvas (no padding), with
 * strokes thick enough to read at 32 px; alpha carries the anti-aliasing.
 * @example renderOutline().data[3] // 0: the corners are transparent
 */
export function renderOutline(size = 32): Rgba {
  const glyphPx = size - 1;
  const toGlyph = (px: number, py: number): Point => [(px - size / 2) / glyphPx, (py - size / 2) / glyphPx];
  const { body } = stopwatch({ ring: 0.095, check: 0.1, crown: 0.085 });
  const data = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const o = (py * size + px) * 4;
      data[o] = 255;
      data[o + 1] = 255;
      data[o + 2] = 255;
      data[o + 3] = Math.round(255 * coverage(body, toGlyph, 0.75 / glyphPx, px, py, SAMPLES));
    }
  }
  return { width: size, height: size, data };
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/**
 * Encodes RGBA pixels as a PNG: 8-bit truecolour with alpha (colour type 6), no interlace, every row
 * with filter 0; byte-for-byte the same output for the same pixels.
 * @example encodePng(renderOutline()).subarray(1, 4).toString() // 'PNG'
 */
export function encodePng(image: Rgba): Buffer {
  const { width, height, data } = image;
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + width * 4)] = 0;
    Buffer.from(data.buffer, data.byteOffset + y * width * 4, width * 4).copy(raw, y * (1 + width * 4) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** File name in appPackage/ → how it is drawn. */
export const ICONS = {
  'color.png': () => encodePng(renderColor()),
  'outline.png': () => encodePng(renderOutline()),
} as const;

if (require.main === module) {
  for (const [name, draw] of Object.entries(ICONS)) {
    writeFileSync(join(__dirname, name), draw());
    console.log(`wrote appPackage/${name}`);
  }
}
