// PNG files made for the tests of large images (tests/web/image-input.test.mjs,
// tests/e2e/big-image.test.mjs): node's zlib deflates and checksums, the rest is the format.
import { constants, crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])) >>> 0, 8 + data.length);
  return out;
}

// A PNG of width×height with 8 bits a sample, colour type `colour` (0 grey, 2 RGB), whose image
// data are the rows `raw` (each a filter byte, then its samples) deflated at `level`. Fewer
// rows than `height` make a file whose header can be measured but which cannot be decoded.
export function pngFile({ width, height, colour, raw, level = constants.Z_DEFAULT_COMPRESSION }) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = colour;
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level })), chunk('IEND', Buffer.alloc(0))]);
}
