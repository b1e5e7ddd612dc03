import type { Store } from '../store.js';
import { loadDemoAlgorithms } from './algorithms.js';
import { loadDemoEvalTasks } from './eval-tasks.js';
import { loadDemoModels } from './models.js';
import { loadDemoServices } from './services.js';
import { loadDemoTensorboards } from './tensorboards.js';

/** Loads every product's demo data into a fresh store. */
export function loadDemoData(store: Store): void {
  loadDemoModels(store);
  loadDemoAlgorithms(store);
  loadDemoEvalTasks(store);
  loadDemoTensorboards(store);
  // After the models: services name the model versions they were deployed from.
  loadDemoServices(store);
}
