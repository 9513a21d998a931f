/** An input file that cannot be imported as it is (bad header, bad line, unknown format). The
 * message names the 1-based line. */
export class ImportFileError extends Error {
  constructor(readonly line: number, message: string, options?: ErrorOptions) {
    super(`line ${line}: ${message}`, options);
    this.name = 'ImportFileError';
  }
}
