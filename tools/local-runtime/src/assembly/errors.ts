/** A cloud assembly the runtime cannot run as written; the message names stack, resource and property. */
export class AssemblyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AssemblyError';
  }
}
