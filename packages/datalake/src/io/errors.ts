// The error base alone: a part decoder in a worker thread loads this, never the workflow engine.
import { OmError } from '@om/core/errors';

/** A file that cannot be read as its format says (corrupt, truncated, unsupported variant). */
export class FileReadError extends OmError {}

/** The file holds no data (0 bytes, or only whitespace): reported as a warning, not a failure. */
export class EmptyFileError extends OmError {
  constructor(message = 'the file is empty') {
    super(message);
  }
}
