import { DEMO_ACCOUNT, formatTime, type Store, type StoredAlgorithm } from '../store.js';
import { BASE, demoId, HOUR, prng } from './random.js';

/** Demo training algorithms with realistic specs, several with more than one version. */

type Spec = Record<string, unknown>;

const hp = (Name: string, Type: string, DefaultValue: string, Description: string, Range?: Spec) => ({ Name, Type, DefaultValue, DisplayName: Name, Description, Required: false, ...(Range ? { Range } : {}) });
const channel = (Name: string, Description: string, Required = true, SupportedChannelTypes = ['oss', 'dataset']) => ({ Name, Description, Required, SupportedChannelTypes });
const gpuTypes = ['ecs.gn6v-c8g1.2xlarge', 'ecs.gn7i-c16g1.4xlarge', 'ecs.gn7e-c16g1.4xlarge'];
const policy = (min: number, max: number) => ({ Policy: { Value: JSON.stringify([{ Name: 'TotalCount', Min: min, Max: max }]), Version: 'V1' } });

function llmSpec(image: string, extra: Spec[] = []): Spec {
  return {
    Image: image,
    Command: ['bash', '-c', 'python /ml/code/sft.py --config /ml/input/config/hyperparameters.json'],
    JobType: 'PyTorchJob',
    HyperParameters: [
      hp('learning_rate', 'Float', '1e-5', 'Peak learning rate of the cosine schedule.', { Minimum: '0', Maximum: '1', ExclusiveMinimum: true }),
      hp('num_train_epochs', 'Integer', '3', 'Passes over the training set.', { Minimum: '1', Maximum: '100' }),
      hp('per_device_train_batch_size', 'Integer', '2', 'Batch size per GPU.', { Minimum: '1', Maximum: '64' }),
      hp('lora_rank', 'Integer', '8', 'LoRA rank; 0 trains all weights.', { Enum: ['0', '8', '16', '32', '64'] }),
      ...extra,
    ],
    InputChannels: [channel('model', 'Base model checkpoint.'), channel('train', 'Training data in JSONL chat format.'), channel('validation', 'Held-out data.', false)],
    OutputChannels: [channel('model', 'Fine-tuned weights.', true, ['oss']), channel('checkpoints', 'Intermediate checkpoints.', false, ['oss'])],
    MetricDefinitions: [
      { Name: 'loss', Regex: "'loss': ([0-9.e-]+)", Description: 'Training loss.' },
      { Name: 'eval_loss', Regex: "'eval_loss': ([0-9.e-]+)", Description: 'Validation loss.' },
    ],
    ProgressDefinitions: { OverallProgress: { Description: 'Steps done', Regex: '(\\d+)/(\\d+) \\[' }, RemainingTime: { Description: 'ETA', Regex: '<([0-9:]+),' } },
    ResourceRequirements: [{ Key: 'SupportedMachineTypes', Operator: 'in', Values: gpuTypes }],
    SupportedInstanceTypes: gpuTypes,
    SupportsDistributedTraining: true,
    ComputeResource: policy(1, 8),
    Customization: { CodeDir: true },
  };
}

const ALGORITHMS: [name: string, display: string, description: string, provider: string | undefined, specs: [string, Spec][]][] = [
  [
    'llm_sft_qwen',
    'Qwen supervised fine-tuning',
    'Supervised fine-tuning of Qwen chat models with optional LoRA.',
    undefined,
    [
      ['v0.1.0', llmSpec('dsw-registry.cn-hangzhou.cr.aliyuncs.com/pai/llm-finetune:0.1.0')],
      ['v0.2.0', llmSpec('dsw-registry.cn-hangzhou.cr.aliyuncs.com/pai/llm-finetune:0.2.0', [hp('max_seq_length', 'Integer', '4096', 'Longest training sequence.', { Minimum: '128', Maximum: '32768' })])],
      ['v1.0.0', llmSpec('dsw-registry.cn-hangzhou.cr.aliyuncs.com/pai/llm-finetune:1.0.0', [hp('max_seq_length', 'Integer', '8192', 'Longest training sequence.', { Minimum: '128', Maximum: '32768' })])],
    ],
  ],
  [
    'kmeans',
    'K-means clustering',
    'Clusters feature vectors with mini-batch k-means.',
    'pai',
    [
      [
        'v1.0.0',
        {
          Image: 'registry.cn-shanghai.aliyuncs.com/pai-training/kmeans:v1.0.0',
          Command: ['python', '/app/kmeans.py'],
          JobType: 'TFJob',
          HyperParameters: [hp('k', 'Integer', '8', 'Number of clusters.', { Minimum: '2', Maximum: '1000' }), hp('distance', 'String', 'euclidean', 'Distance measure.', { Enum: ['euclidean', 'cosine', 'manhattan'] })],
          InputChannels: [channel('train', 'Feature table.')],
          OutputChannels: [channel('model', 'Cluster centres.', true, ['oss'])],
          MetricDefinitions: [{ Name: 'inertia', Regex: 'inertia=([0-9.]+)', Description: 'Sum of squared distances.' }],
          SupportedInstanceTypes: ['ecs.c6.large', 'ecs.c6.xlarge'],
          SupportsDistributedTraining: false,
        },
      ],
    ],
  ],
  [
    'xgboost_binary',
    'XGBoost binary classification',
    'Gradient-boosted trees for tabular binary classification.',
    undefined,
    [
      [
        'v0.1.0',
        {
          Image: 'registry.cn-hangzhou.aliyuncs.com/pai-training/xgboost:1.7.6',
          Command: ['python', '-m', 'pai_xgb.train'],
          JobType: 'XGBoostJob',
          HyperParameters: [
            hp('max_depth', 'Integer', '6', 'Maximum tree depth.', { Minimum: '1', Maximum: '20' }),
            hp('eta', 'Float', '0.3', 'Learning rate.', { Minimum: '0', Maximum: '1', ExclusiveMinimum: true }),
            hp('objective', 'String', 'binary:logistic', 'Learning objective.', { Enum: ['binary:logistic', 'binary:hinge'] }),
          ],
          InputChannels: [channel('train', 'Training table.'), channel('validation', 'Validation table.', false)],
          OutputChannels: [channel('model', 'Trained booster.', true, ['oss'])],
          MetricDefinitions: [{ Name: 'auc', Regex: 'validation-auc:([0-9.]+)', Description: 'Validation AUC.' }],
          SupportedInstanceTypes: ['ecs.c6.2xlarge', 'ecs.g6.2xlarge'],
          SupportsDistributedTraining: true,
          ComputeResource: policy(1, 4),
        },
      ],
      ['v0.2.0', { Image: 'registry.cn-hangzhou.aliyuncs.com/pai-training/xgboost:2.0.3', Command: ['python', '-m', 'pai_xgb.train'], JobType: 'XGBoostJob', HyperParameters: [hp('max_depth', 'Integer', '8', 'Maximum tree depth.', { Minimum: '1', Maximum: '20' })] }],
    ],
  ],
  [
    'bert_text_classification',
    'BERT text classification',
    'Fine-tunes a BERT-family encoder for single-label classification.',
    'pai',
    [
      [
        'v1.2.0',
        {
          Image: 'registry.cn-hangzhou.aliyuncs.com/pai-training/easynlp:0.1.3',
          Command: ['easynlp', '--mode=train', '--app_name=text_classify'],
          JobType: 'PyTorchJob',
          CodeDir: { LocationType: 'OSS', LocationValue: { Bucket: 'pai-public', Key: 'easynlp/code/' } },
          HyperParameters: [hp('sequence_length', 'Integer', '128', 'Tokens per example.', { Minimum: '16', Maximum: '512' }), hp('label_enumerate_values', 'String', '0,1', 'Comma-separated labels.', { Pattern: '^[^,]+(,[^,]+)+$', MinLength: 3, MaxLength: 1024 })],
          InputChannels: [channel('train', 'TSV with text and label.'), channel('validation', 'TSV for evaluation.')],
          OutputChannels: [channel('model', 'Fine-tuned model.', true, ['oss'])],
          MetricDefinitions: [{ Name: 'accuracy', Regex: 'accuracy: ([0-9.]+)' }],
          SupportedInstanceTypes: gpuTypes,
          SupportsDistributedTraining: true,
        },
      ],
    ],
  ],
  [
    'yolov8_detection',
    'YOLOv8 object detection',
    'Trains YOLOv8 detectors on COCO-format datasets.',
    undefined,
    [
      [
        'v0.3.0',
        {
          Image: 'registry.cn-hangzhou.aliyuncs.com/vision/ultralytics:8.2.0',
          Command: ['yolo', 'detect', 'train', 'data=/ml/input/data/train/data.yaml'],
          JobType: 'PyTorchJob',
          HyperParameters: [hp('epochs', 'Integer', '100', 'Training epochs.', { Minimum: '1', Maximum: '1000' }), hp('imgsz', 'Integer', '640', 'Input image size.', { Enum: ['320', '480', '640', '1280'] })],
          InputChannels: [channel('train', 'COCO-format images and labels.')],
          OutputChannels: [channel('model', 'best.pt and last.pt.', true, ['oss'])],
          MetricDefinitions: [{ Name: 'mAP50', Regex: 'all\\s+\\d+\\s+\\d+\\s+[0-9.]+\\s+[0-9.]+\\s+([0-9.]+)' }],
          SupportedInstanceTypes: gpuTypes,
          SupportsDistributedTraining: true,
          ComputeResource: policy(1, 4),
        },
      ],
    ],
  ],
  [
    'whisper_finetune',
    'Whisper speech recognition fine-tuning',
    'Adapts Whisper to a domain vocabulary.',
    undefined,
    [
      ['v0.1.0', llmSpec('registry.cn-hangzhou.aliyuncs.com/speech/whisper-train:0.1.0')],
      ['v0.1.1', llmSpec('registry.cn-hangzhou.aliyuncs.com/speech/whisper-train:0.1.1')],
    ],
  ],
  [
    'deepfm_ctr',
    'DeepFM click-through rate',
    'Parameter-server DeepFM for click-through-rate prediction.',
    'pai',
    [['v2.0.0', { Image: 'registry.cn-hangzhou.aliyuncs.com/pai-training/easyrec:0.8.0', Command: ['python', '-m', 'easy_rec.python.train_eval'], JobType: 'TFJob', SupportsDistributedTraining: true, ComputeResource: policy(2, 32) }]],
  ],
  ['churn_autoML', 'Churn AutoML', 'AutoML search over tabular churn models (no versions yet).', undefined, []],
];

export function loadDemoAlgorithms(store: Store): void {
  const rand = prng(20250107);
  ALGORITHMS.forEach(([name, display, description, provider, specs], i) => {
    const created = BASE + (i * 71 + 5) * HOUR;
    const algorithm: StoredAlgorithm = {
      seq: store.nextSeq(),
      AlgorithmId: demoId(rand, 'algo'),
      AlgorithmName: name,
      DisplayName: display,
      AlgorithmDescription: description,
      ...(provider ? { AlgorithmProvider: provider } : {}),
      WorkspaceId: provider ? '0' : DEMO_ACCOUNT.WorkspaceId,
      UserId: DEMO_ACCOUNT.UserId,
      TenantId: DEMO_ACCOUNT.TenantId,
      GmtCreateTime: formatTime(new Date(created)),
      GmtModifiedTime: formatTime(new Date(created)),
      versions: new Map(),
    };
    specs.forEach(([version, spec], v) => {
      const at = formatTime(new Date(created + (v + 1) * 30 * HOUR));
      algorithm.versions.set(version, { seq: store.nextSeq(), AlgorithmVersion: version, AlgorithmSpec: spec, UserId: DEMO_ACCOUNT.UserId, GmtCreateTime: at, GmtModifiedTime: at });
      algorithm.GmtModifiedTime = at;
    });
    store.algorithms.set(algorithm.AlgorithmId, algorithm);
  });
}
