/**
 * The module a worker thread loads for a split pass (`TableDataRequest.parts`): the decoder of
 * each format that splits, chosen by the `format` of the options its `parts()` sent along.
 */
import type { PartDecoder } from '@om/core';
import { openDelimitedDecoder, type DelimitedDecoderOptions } from './delimited/part-decoder';
import { openParquetDecoder, type ParquetDecoderOptions } from './parquet/part-decoder';

export type PartDecoderOptions = DelimitedDecoderOptions | ParquetDecoderOptions;

const DECODERS: { [F in PartDecoderOptions['format']]: (options: Extract<PartDecoderOptions, { format: F }>) => PartDecoder } = {
  delimited: openDelimitedDecoder,
  parquet: openParquetDecoder,
};

export function openPartDecoder(options: PartDecoderOptions): PartDecoder {
  const open = DECODERS[options.format] as (options: PartDecoderOptions) => PartDecoder;
  return open(options);
}
