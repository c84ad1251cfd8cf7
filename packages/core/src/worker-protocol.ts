/** Entry of the `@om/core/worker-protocol` subpath: what a part-decoding worker thread needs. */
export type { ColumnBatch, ColumnChunk, DictionaryChunk, EncodedChunk, PartDecoder, TablePart, TablePartsOptions, TablePartsPass, TextCellChunk } from './model/worker-protocol';
