/**
 * Thrown when a CADDM configuration cannot be served: an unknown backbone,
 * an input size whose backbone feature map is not 7x7 (the ADM shrinks it
 * 7 -> 5 -> 3 -> 1 and the short connection needs the final 1x1 map), a
 * feature map of the wrong rank in the plug-in form, or a saved model whose
 * files do not match what they claim to be.
 */
export class CaddmConfigError extends Error {
  /** @param message - what is wrong and, where possible, what would work. */
  constructor(message: string) {
    super(message);
    this.name = 'CaddmConfigError';
  }
}
