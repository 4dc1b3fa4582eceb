/**
 * The one error type the library throws on bad input. `code` is stable and meant for programs;
 * `message` is one line meant for people. The CLI prints the message and exits 2.
 */
export class RegtrailError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegtrailError';
    this.code = code;
  }
}
