/**
 * Names: every weight-bearing layer is named after its PyTorch module path
 * (`layer1.0.conv1`, `_blocks.3._se_reduce`), optionally under a prefix
 * (`base_model.`). tfjs layer names must start with a letter or digit, so a
 * path such as `_conv_stem` becomes the tfjs name `m_conv_stem`; the PyTorch
 * path itself is kept in the layer specs, which is what import and export
 * use.
 */

/** A module-path scope: joins a prefix and a relative path. */
export class Scope {
  /** @param prefix - PyTorch path prefix, e.g. `''` or `'base_model.'`. */
  constructor(readonly prefix: string = '') {}

  /** The PyTorch module path of `path` in this scope. */
  torch(path: string): string {
    return `${this.prefix}${path}`;
  }

  /** The tfjs layer name of `path` in this scope. */
  tf(path: string): string {
    return tfLayerName(this.torch(path));
  }

  /** A child scope, e.g. `scope.child('layer1.0.')`. */
  child(path: string): Scope {
    return new Scope(`${this.prefix}${path}`);
  }
}

/** The tfjs layer name for a PyTorch module path (see the module note). */
export function tfLayerName(torchPath: string): string {
  return /^[A-Za-z0-9]/.test(torchPath) ? torchPath : `m${torchPath}`;
}
