/** A file that cannot be read as its format says (corrupt, truncated, unsupported variant). */
export class FileReadError extends Error {
  readonly userError = true;
  constructor(message: string) {
    super(message);
    this.name = 'FileReadError';
  }
}

/** The file holds no data (0 bytes, or only whitespace): reported as a warning, not a failure. */
export class EmptyFileError extends Error {
  readonly userError = true;
  constructor(message = 'the file is empty') {
    super(message);
    this.name = 'EmptyFileError';
  }
}
