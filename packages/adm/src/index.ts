/**
 * `@caddm/adm`: the Artifact Detection Module and the full CADDM model
 * (paper Sec. 4.1, Fig. 3; reference `backbones/adm.py`, `caddm.py`), the
 * binary-classifier baseline, the plug-in form of the ADM, parameter
 * counts without allocation, and save/load.
 *
 * ```ts
 * import { createCaddm, saveModel, loadModel } from '@caddm/adm';
 * const m = createCaddm({ backbone: 'resnet34', inputSize: 224 });
 * const { loc, conf, logits } = m.apply(x, { training: true }); // [B,168,4] [B,168,2] [B,2]
 * const pFake = m.predict(x);                                    // [B]
 * await saveModel(m, 'runs/ckpt');                               // model.json + shards
 * ```
 *
 * @packageDocumentation
 */
export * from './browser.js';
export { loadModel, readStateDict, saveModel, writeStateDict, type ReadStateDictOptions, type SaveModelOptions } from './io.js';
