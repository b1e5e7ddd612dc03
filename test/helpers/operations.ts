import { AlgorithmOps } from '../../src/algorithms/algorithms.api.js';
import { EvalTaskOps } from '../../src/eval-tasks/eval-tasks.api.js';
import { ModelOps } from '../../src/models/models.api.js';
import { ServiceOps } from '../../src/services/services.api.js';
import { TensorboardOps } from '../../src/tensorboards/tensorboards.api.js';

/** Every upstream operation the gateway calls, as `product action`, sorted. */
export const ALL_OPERATIONS: readonly string[] = [ModelOps, AlgorithmOps, EvalTaskOps, TensorboardOps, ServiceOps]
  .flatMap((ops) => Object.values(ops).map((op) => `${op.product} ${op.action}`))
  .sort();
