// A tiny PNG encoder (RGBA, 8 bits, no interlace) on node:zlib, and the app's icons drawn with it:
// a "swap" glyph (two arrows, one each way) white on the brand colour (192x192) and white on
// transparent (32x32, Teams' outline icon).
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE), as PNG chunks and ZIP entries use it. */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Encodes RGBA pixels (width * height * 4 bytes, row by row) as a PNG file. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`encodePng: expected ${width * height * 4} bytes, got ${rgba.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // no interlace
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Width, height, bit depth and colour type from a PNG's IHDR. */
export function readPngHeader(png: Uint8Array): { width: number; height: number; bitDepth: number; colorType: number } {
  const b = Buffer.from(png.buffer, png.byteOffset, png.length);
  if (b.length < 33 || b.readUInt32BE(0) !== 0x89504e47 || b.toString('ascii', 12, 16) !== 'IHDR') throw new Error('not a PNG file');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), bitDepth: b[24]!, colorType: b[25]! };
}

/** Is (x, y) in unit coordinates inside the swap glyph? Two arrows: right on top, left below. */
function inGlyph(x: number, y: number): boolean {
  const arrow = (cy: number, right: boolean) => {
    const px = right ? x : 1 - x;
    const shaft = px >= 0.16 && px <= 0.66 && Math.abs(y - cy) <= 0.055;
    // Head: a triangle with its base at x = 0.6 and its tip at x = 0.86.
    const head = px >= 0.6 && px <= 0.86 && Math.abs(y - cy) <= 0.16 * (1 - (px - 0.6) / 0.26);
    return shaft || head;
  };
  return arrow(0.34, true) || arrow(0.66, false);
}

/** Rounded square for the colour icon's background. */
function inRoundedSquare(x: number, y: number, r: number): boolean {
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

const SAMPLES = 4;

function render(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const [cr, cg, cb, ca] = pixel((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const i = (py * size + px) * 4;
      const n = SAMPLES * SAMPLES;
      out[i + 3] = Math.round((a / n) * 255);
      out[i] = a ? Math.round(r / a) : 0;
      out[i + 1] = a ? Math.round(g / a) : 0;
      out[i + 2] = a ? Math.round(b / a) : 0;
    }
  }
  return out;
}

/** Brand colour: the manifest's accentColor. */
export const ACCENT = '#3A5BD9';
const BRAND: [number, number, number] = [0x3a, 0x5b, 0xd9];

/** 192x192, full colour: the white glyph on a rounded brand-coloured square. */
export function colorIcon(size = 192): Buffer {
  return encodePng(
    size,
    size,
    render(size, (x, y) => {
      if (inGlyph(x, y)) return [255, 255, 255, 1];
      if (inRoundedSquare(x, y, 0.18)) return [...BRAND, 1];
      return [0, 0, 0, 0];
    }),
  );
}

/** 32x32 outline: white glyph on transparent. */
export function outlineIcon(size = 32): Buffer {
  return encodePng(
    size,
    size,
    render(size, (x, y) => (inGlyph(x, y) ? [255, 255, 255, 1] : [0, 0, 0, 0])),
  );
}
