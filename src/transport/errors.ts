// Errors raised below the command layer. Each carries what an operator needs:
// the errno (for exit paths and hints) and the kernel's own extack text.

export class NetlinkError extends Error {
  /** The way out, when the command layer knows the cause better than the errno. */
  hint?: string;

  constructor(
    readonly errno: number,
    message: string,
    readonly extack?: string,
  ) {
    super(message);
  }
}

export class TransportError extends Error {
  constructor(message: string, readonly errno = 0) {
    super(message);
  }
}

export class NetnsError extends Error {
  constructor(message: string, readonly path: string, readonly errno = 0) {
    super(message);
  }
}
