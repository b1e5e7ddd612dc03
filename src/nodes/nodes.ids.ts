import type { ZodType } from 'zod';
import { algorithmId, algorithmVersionName } from '../algorithms/index.js';
import { BadUserInputError, describeReceived } from '../core/errors.js';
import { evalTaskId } from '../eval-tasks/index.js';
import { modelId, versionName as modelVersionName } from '../models/index.js';
import { serviceUid } from '../services/index.js';
import { tensorboardId } from '../tensorboards/index.js';

/**
 * Global object identification without a second id: a Node's global id is the `id` the type
 * already had (PAI's own id, or `<parent id>/<version name>` for versions), so federation
 * keys, `model(id:)` and the like, and ids held in client caches all stay as they were. The
 * kind of object is read from PAI's id prefixes; evaluation task ids, which have none, are
 * hex digits and `-` (PaiLLMTrace's ids are hex strings or UUIDs), a shape no other kind has.
 */
export type GlobalId =
  | { readonly type: 'Model'; readonly id: string }
  | { readonly type: 'ModelVersion'; readonly modelId: string; readonly name: string }
  | { readonly type: 'Algorithm'; readonly id: string }
  | { readonly type: 'AlgorithmVersion'; readonly algorithmId: string; readonly name: string }
  | { readonly type: 'EvalTask'; readonly id: string }
  | { readonly type: 'Tensorboard'; readonly id: string }
  | { readonly type: 'Service'; readonly id: string };

export type NodeTypeName = GlobalId['type'];

const KINDS =
  'must be the id of a Model (`model-...`), ModelVersion (`model-.../<version>`), Algorithm (`algo-...`), AlgorithmVersion (`algo-.../<version>`), EvalTask (hex digits and `-`), Tensorboard (`tensorboard-...`) or Service (`eas-m-...`)';

const EVAL_TASK_ID = /^[0-9a-f]+(?:-[0-9a-f]+)*$/i;

/**
 * One part of a global id, held to the rule of the query argument that takes it
 * (`model(id:)`, `Model.version(name:)`, ...). A breach names the argument the client wrote
 * (`id`, `ids[3]`) and which part broke which rule.
 */
function part(rule: ZodType<string>, value: string, path: string, what: string, whole: string): string {
  const result = rule.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues[0]?.message ?? 'is not valid';
  throw new BadUserInputError(path, what ? `${what} ${message}` : message, describeReceived(whole));
}

/**
 * The object a global id names, every part checked before any upstream call. `path` is the
 * argument as the client wrote it, for errors (`id`, `ids[3]`).
 */
export function readGlobalId(id: string, path: string): GlobalId {
  const slash = id.indexOf('/');
  if (slash >= 0) {
    const parent = id.slice(0, slash);
    const name = id.slice(slash + 1);
    if (parent.startsWith('model-')) {
      return { type: 'ModelVersion', modelId: part(modelId, parent, path, 'its model id', id), name: part(modelVersionName, name, path, 'its version name', id) };
    }
    if (parent.startsWith('algo-')) {
      return { type: 'AlgorithmVersion', algorithmId: part(algorithmId, parent, path, 'its algorithm id', id), name: part(algorithmVersionName, name, path, 'its version name', id) };
    }
  } else {
    if (id.startsWith('model-')) return { type: 'Model', id: part(modelId, id, path, '', id) };
    if (id.startsWith('algo-')) return { type: 'Algorithm', id: part(algorithmId, id, path, '', id) };
    if (id.startsWith('tensorboard-')) return { type: 'Tensorboard', id: part(tensorboardId, id, path, '', id) };
    if (id.startsWith('eas-m-')) return { type: 'Service', id: part(serviceUid, id, path, '', id) };
    if (EVAL_TASK_ID.test(id)) return { type: 'EvalTask', id: part(evalTaskId, id, path, '', id) };
  }
  throw new BadUserInputError(path, KINDS, describeReceived(id));
}
