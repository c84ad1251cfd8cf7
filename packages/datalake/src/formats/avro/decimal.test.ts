import { decodeAvroDecimal } from './rows';

describe('Avro decimal decoding', () => {
  test.each([
    [[0x00], 2, 0],
    [[0x30, 0x39], 2, 123.45],
    [[0xcf, 0xc7], 2, -123.45],
    [[0xff], 0, -1],
    [[0x01, 0x00], 1, 25.6],
  ])('%j with scale %i is %d', (bytes, scale, expected) => {
    expect(decodeAvroDecimal(Uint8Array.from(bytes), scale)).toBeCloseTo(expected, 10);
  });
});
