// Errors the command layer reports. `UsageError` prints usage; `CliError`
// prints its text as is; both exit 1 unless told otherwise.

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export class UsageError extends CliError {}
