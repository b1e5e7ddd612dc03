import { newService } from '../eas.js';
import type { Store, StoredModel } from '../store.js';
import { HOUR } from './random.js';

/**
 * Demo EAS services: most deployed from demo model versions the way pai-graph deploys them
 * (their config is the version's InferenceSpec with its Uri as model_path, and two labels name
 * the model and the version), one image-based service deployed from elsewhere. Times are
 * relative to when the data is loaded, so their statuses have settled: running, stopped and
 * failed ones.
 */

/** The labels pai-graph sets at deploy time (src/services/services.inputs.ts); the emulator only stores them. */
const MODEL_LABEL = 'pai-graph.model-id';
const VERSION_LABEL = 'pai-graph.model-version';

interface Demo {
  name: string;
  model?: { name: string; version: 'first' | 'latest' };
  metadata: Record<string, unknown>;
  extra?: Record<string, unknown>;
  labels?: Record<string, string>;
  ageHours: number;
  stoppedHoursAgo?: number;
}

const SERVICES: Demo[] = [
  { name: 'qwen25_7b_chat', model: { name: 'Qwen2.5-7B-Instruct', version: 'latest' }, metadata: { instance: 2, cpu: 8, memory: 32768, gpu: 1 }, extra: { cloud: { computing: { instance_type: 'ecs.gn7i-c8g1.2xlarge' } } }, labels: { team: 'search' }, ageHours: 72 },
  { name: 'qwen25_7b_canary', model: { name: 'Qwen2.5-7B-Instruct', version: 'first' }, metadata: { instance: 1, cpu: 8, memory: 32768, gpu: 1 }, labels: { team: 'search', stage: 'canary' }, ageHours: 30 },
  { name: 'bge_large_embedding', model: { name: 'bge-large-zh-v1.5', version: 'latest' }, metadata: { instance: 1, cpu: 4, memory: 8192 }, labels: { team: 'search' }, ageHours: 120 },
  { name: 'whisper_asr_batch', model: { name: 'whisper-large-v3', version: 'latest' }, metadata: { instance: 1, cpu: 8, memory: 16384, gpu: 1 }, labels: { team: 'speech' }, ageHours: 200, stoppedHoursAgo: 20 },
  { name: 'yolov8_shelf_detector', model: { name: 'yolov8m-shelf-detection', version: 'latest' }, metadata: { instance: 1, cpu: 16, memory: 65536, gpu: 16 }, labels: { team: 'vision' }, ageHours: 5 },
  { name: 'credit_risk_scoring', model: { name: 'credit-risk-xgboost', version: 'latest' }, metadata: { instance: 3, cpu: 2, memory: 4096 }, labels: { team: 'risk' }, ageHours: 400 },
  {
    name: 'support_chat_frontend',
    metadata: { instance: 1, cpu: 2, memory: 4096 },
    extra: { containers: [{ image: 'registry.cn-hangzhou.aliyuncs.com/demo/support-chat:1.4.2', script: 'python app.py', port: 8000 }] },
    labels: { team: 'search' },
    ageHours: 96,
  },
];

const versionOf = (model: StoredModel, which: 'first' | 'latest') => {
  const versions = [...model.versions.values()].sort((a, b) => a.seq - b.seq);
  return which === 'first' ? versions[0]! : versions[versions.length - 1]!;
};

export function loadDemoServices(store: Store): void {
  const now = store.clock.now().getTime();
  const models = new Map([...store.models.values()].map((m) => [m.ModelName, m]));
  for (const demo of SERVICES) {
    const model = demo.model && models.get(demo.model.name);
    const version = model && demo.model ? versionOf(model, demo.model.version) : undefined;
    const config: Record<string, unknown> = {
      name: demo.name,
      ...(version?.InferenceSpec ?? {}),
      ...(version ? { model_path: version.Uri } : {}),
      metadata: { ...demo.metadata },
      ...demo.extra,
    };
    const labels = { ...(model && version ? { [MODEL_LABEL]: model.ModelId, [VERSION_LABEL]: version.VersionName } : {}), ...demo.labels };
    const created = now - demo.ageHours * HOUR;
    const service = newService(store, config, { name: demo.name, labels, workspaceId: model?.WorkspaceId, source: model ? undefined : 'dsw', at: created });
    // The same id and token on every start.
    service.ServiceId = `eas-m-demo${String(service.seq).padStart(4, '0')}${demo.name.replace(/_/g, '').slice(0, 8)}`;
    service.AccessToken = `demo-eas-token-${demo.name}-${String(service.seq).padStart(6, '0')}`;
    if (demo.stoppedHoursAgo !== undefined) {
      service.step = { kind: 'stop', at: now - demo.stoppedHoursAgo * HOUR };
      service.updatedAt = service.step.at;
    }
    store.services.set(`${service.Region}/${service.ServiceName}`, service);
  }
}
