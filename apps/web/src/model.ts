/**
 * Loading a web model folder (`caddm export --web`) from a URL or from files
 * the user picked, into the same network `caddm detect --run` builds.
 */
import {
  checkWebConfig,
  netFromWebModel,
  webModelShards,
  WEB_MODEL_FILES,
  WebModelError,
  type BuiltNet,
  type CaddmConfig,
  type WebModelInfo,
  type WebModelJson,
} from '@caddm/trainer/web';

/** A model ready to score faces. */
export interface PageModel extends BuiltNet {
  readonly config: CaddmConfig;
  /** `export.json`, when the folder has one. */
  readonly info: WebModelInfo | null;
  /** Where it came from (a URL or "your folder"). */
  readonly where: string;
}

/** Reads one file of a model folder; undefined when it is absent. */
type Reader = (name: string) => Promise<Uint8Array | undefined>;

async function load(read: Reader, where: string): Promise<PageModel> {
  const text = async (name: string, required: boolean): Promise<unknown> => {
    const bytes = await read(name);
    if (bytes == null) {
      if (required) throw new WebModelError(`${where}/${name} is missing: a model folder from 'caddm export --web' has ${WEB_MODEL_FILES.model}, ${WEB_MODEL_FILES.config}, ${WEB_MODEL_FILES.info} and weight shards`);
      return null;
    }
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new WebModelError(`${where}/${name} is not valid JSON (${(e as Error).message}); export the model again`);
    }
  };
  const config = checkWebConfig(await text(WEB_MODEL_FILES.config, true), `${where}/${WEB_MODEL_FILES.config}`);
  const json = (await text(WEB_MODEL_FILES.model, true)) as WebModelJson;
  const info = (await text(WEB_MODEL_FILES.info, false)) as WebModelInfo | null;
  const shards = new Map<string, Uint8Array>();
  for (const p of webModelShards(json, `${where}/${WEB_MODEL_FILES.model}`)) {
    const b = await read(p);
    if (b != null) shards.set(p, b);
  }
  return { ...netFromWebModel(config, json, shards, where), config, info, where };
}

/** Loads the model folder at `url` (same origin or any URL the user typed). */
export function loadModelFromUrl(url: string): Promise<PageModel> {
  const base = url.endsWith('/') ? url : `${url}/`;
  return load(async (name) => {
    const r = await fetch(new URL(name, new URL(base, document.baseURI)));
    if (r.status === 404) return undefined;
    if (!r.ok) throw new WebModelError(`${base}${name}: HTTP ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  }, base.replace(/\/$/, ''));
}

/** Loads a model folder the user picked (the files of one folder, any order). */
export function loadModelFromFiles(files: readonly File[]): Promise<PageModel> {
  const byName = new Map(files.map((f) => [f.name, f]));
  const folder = (files[0] as File & { webkitRelativePath?: string })?.webkitRelativePath?.split('/')[0] || 'your folder';
  return load(async (name) => {
    const f = byName.get(name);
    return f == null ? undefined : new Uint8Array(await f.arrayBuffer());
  }, folder);
}
