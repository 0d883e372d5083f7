import { readFileSync } from 'node:fs';
import { parseWeights } from '@caddm/backbones';
import type { CaddmConfig } from './config/index.js';
import { buildNetWith, type BuiltNet } from './model-core.js';

export { anchorConfigOf, modelOptionsOf, buildNetWith, type BuiltNet } from './model-core.js';

/**
 * Builds the network the config asks for ({@link buildNetWith}) and loads
 * `model.pretrained` backbone weights when given: `.safetensors` or a
 * `torch.save` checkpoint (`.pth`/`.pt`/`.bin`/`.pkl`), told apart by content.
 */
export function buildNet(config: CaddmConfig): BuiltNet {
  const pretrained = config.model.pretrained;
  return buildNetWith(
    config,
    pretrained == null ? undefined : (model) => model.loadBackboneStateDict(parseWeights(readFileSync(pretrained), { file: pretrained }).tensors),
  );
}
