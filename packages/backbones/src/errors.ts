/**
 * Thrown when a backbone or model configuration cannot be built: an unknown
 * backbone name, a non-positive width multiplier, an input too small for the
 * network, an unsupported output stride.
 */
export class BackboneConfigError extends Error {
  /** @param message - what is wrong and, where possible, what would work. */
  constructor(message: string) {
    super(message);
    this.name = 'BackboneConfigError';
  }
}

/**
 * Thrown when a `.safetensors` byte buffer is malformed: too short, a header
 * length past the end of the buffer, a header that is not JSON, a tensor whose
 * byte range is out of bounds or does not match its dtype and shape, an
 * unsupported dtype.
 */
export class SafetensorsFormatError extends Error {
  /** @param message - the problem, naming the offending tensor where there is one. */
  constructor(message: string) {
    super(`safetensors: ${message}`);
    this.name = 'SafetensorsFormatError';
  }
}

/**
 * Thrown when a PyTorch state dict does not fit a model: keys the model needs
 * are missing, keys the model does not know are present, or shapes differ.
 * {@link WeightImportError.problems} lists every problem found (not only the
 * first), one line each.
 */
export class WeightImportError extends Error {
  /** One human-readable line per problem. */
  readonly problems: readonly string[];

  /**
   * @param problems - every problem found, one line each.
   * @param maxListed - how many to put into the message (all are in `problems`).
   */
  constructor(problems: readonly string[], maxListed = 40) {
    const shown = problems.slice(0, maxListed);
    const more = problems.length > shown.length ? `\n  ... and ${problems.length - shown.length} more` : '';
    super(`weights do not fit the model (${problems.length} problem(s)):\n  ${shown.join('\n  ')}${more}`);
    this.name = 'WeightImportError';
    this.problems = problems;
  }
}

/**
 * Thrown when a PyTorch checkpoint (`torch.save`'s zip container, read by
 * {@link parseTorchCheckpoint}) cannot be read: not a zip, a truncated or
 * inconsistent zip, an entry over the size limits, a legacy (pre-1.6) file,
 * a tensor that does not fit its storage, or a checkpoint dict with no
 * state dict in it. The message is one line: the file, the problem and what
 * to do.
 */
export class TorchCheckpointError extends Error {
  /** @param message - the problem, starting with the file name where there is one. */
  constructor(message: string) {
    super(message);
    this.name = 'TorchCheckpointError';
  }
}

/**
 * Thrown when a pickle asks for something the restricted unpickler does not
 * allow: a global outside the whitelist (e.g. `os.system`), a call of a
 * non-whitelisted callable, an unsupported opcode. Nothing in the pickle is
 * ever executed; {@link UnsafePickleError.global} names the refused global
 * where there is one.
 */
export class UnsafePickleError extends TorchCheckpointError {
  /** The refused global as `module.name`, when a global was refused. */
  readonly global: string | undefined;

  /**
   * @param message - the problem, starting with the file name.
   * @param global - the refused global (`module.name`), if any.
   */
  constructor(message: string, global?: string) {
    super(message);
    this.name = 'UnsafePickleError';
    this.global = global;
  }
}
