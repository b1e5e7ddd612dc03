import { DEMO_ACCOUNT, formatTime, type Store, type StoredLabel, type StoredModel, type StoredVersion } from '../store.js';
import { BASE, demoId, HOUR, prng } from './random.js';

/**
 * Demo data for `npm start` without an upstream: a registry of realistic models across nlp,
 * cv, audio and tabular, each with versions and labels, plus a few public `pai` models.
 * Deterministic: the same ids and times on every start, so README examples keep working.
 */

type Spec = [name: string, domain: string, task: string, modelType: string, origin: string, params: number, framework: string, format: string, description: string];

const OWN: Spec[] = [
  ['Qwen2.5-7B-Instruct', 'nlp', 'text-generation', 'Checkpoint', 'ModelScope', 7610, 'Pytorch', 'TorchScript', 'Instruction-tuned 7B chat model for customer-support answers.'],
  ['Qwen2.5-72B-Instruct', 'nlp', 'text-generation', 'Checkpoint', 'ModelScope', 72700, 'Pytorch', 'TorchScript', 'Large chat model used as the evaluation judge.'],
  ['bert-base-chinese', 'nlp', 'fill-mask', 'Checkpoint', 'HuggingFace', 110, 'Pytorch', 'TorchScript', 'Chinese BERT base encoder, fine-tuning starting point.'],
  ['情感分析', 'nlp', 'text-classification', 'Checkpoint', 'ModelScope', 102, 'TensorFlow', 'SavedModel', '通用情感分析。 General-purpose sentiment analysis for product reviews.'],
  ['structbert-sentiment-classification', 'nlp', 'text-classification', 'Checkpoint', 'ModelScope', 102, 'Pytorch', 'ONNX', 'StructBERT sentiment classifier for e-commerce comments.'],
  ['text2vec-base-chinese', 'nlp', 'sentence-embedding', 'Checkpoint', 'HuggingFace', 102, 'Pytorch', 'ONNX', 'Sentence embeddings for semantic search.'],
  ['bge-large-zh-v1.5', 'nlp', 'sentence-embedding', 'Checkpoint', 'HuggingFace', 326, 'Pytorch', 'ONNX', 'Retrieval embeddings for the RAG knowledge base.'],
  ['Llama-3.1-8B-Instruct-LoRA-support', 'nlp', 'text-generation', 'LoRA', 'HuggingFace', 8030, 'Pytorch', 'TorchScript', 'LoRA adapter fine-tuned on support tickets.'],
  ['mt5-base-zh-en-translation', 'nlp', 'translation', 'Checkpoint', 'HuggingFace', 580, 'TensorFlow', 'SavedModel', 'Chinese to English translation for product listings.'],
  ['DeepSeek-R1-Distill-Qwen-7B', 'nlp', 'text-generation', 'Checkpoint', 'ModelScope', 7620, 'Pytorch', 'TorchScript', 'Reasoning model distilled for math tutoring.'],
  ['gte-rerank-v2', 'nlp', 'text-ranking', 'Checkpoint', 'ModelScope', 305, 'Pytorch', 'ONNX', 'Cross-encoder reranker for search results.'],
  ['news-ner-bilstm-crf', 'nlp', 'named-entity-recognition', 'Checkpoint', 'Custom', 12, 'TensorFlow', 'Frozen Pb', 'Named-entity recognition for news articles.'],
  ['resnet50-imagenet', 'cv', 'image-classification', 'Checkpoint', 'HuggingFace', 25, 'TensorFlow', 'SavedModel', 'ResNet-50 trained on ImageNet-1k.'],
  ['yolov8m-shelf-detection', 'cv', 'object-detection', 'Checkpoint', 'Custom', 26, 'Pytorch', 'ONNX', 'Detects products on retail shelves.'],
  ['vit-base-patch16-224', 'cv', 'image-classification', 'Checkpoint', 'HuggingFace', 86, 'Pytorch', 'TorchScript', 'Vision transformer base, 224px input.'],
  ['sam-vit-huge', 'cv', 'image-segmentation', 'Checkpoint', 'HuggingFace', 636, 'Pytorch', 'TorchScript', 'Segment Anything for annotation assistance.'],
  ['stable-diffusion-xl-base-1.0', 'cv', 'text-to-image', 'Checkpoint', 'HuggingFace', 3500, 'Pytorch', 'TorchScript', 'Text-to-image generation for marketing banners.'],
  ['sdxl-product-photo-lora', 'cv', 'text-to-image', 'LoRA', 'Custom', 50, 'Pytorch', 'TorchScript', 'LoRA for studio-style product photos.'],
  ['ocr-crnn-chinese', 'cv', 'ocr-recognition', 'Checkpoint', 'ModelScope', 9, 'TensorFlow', 'Frozen Pb', 'Recognises printed Chinese text on invoices.'],
  ['retinaface-face-detection', 'cv', 'face-detection', 'Checkpoint', 'ModelScope', 27, 'Pytorch', 'ONNX', 'Face detection for photo moderation.'],
  ['clip-vit-base-patch32', 'cv', 'zero-shot-image-classification', 'Checkpoint', 'HuggingFace', 151, 'Pytorch', 'ONNX', 'Image-text embeddings for visual search.'],
  ['mobilenet-v3-small-edge', 'cv', 'image-classification', 'Checkpoint', 'Custom', 3, 'Keras', 'Keras H5', 'Tiny classifier for on-device quality checks.'],
  ['whisper-large-v3', 'audio', 'automatic-speech-recognition', 'Checkpoint', 'HuggingFace', 1550, 'Pytorch', 'TorchScript', 'Multilingual speech recognition for call transcripts.'],
  ['paraformer-zh', 'audio', 'automatic-speech-recognition', 'Checkpoint', 'ModelScope', 220, 'Pytorch', 'ONNX', 'Non-autoregressive Mandarin ASR.'],
  ['sambert-tts-zhitian', 'audio', 'text-to-speech', 'Checkpoint', 'ModelScope', 30, 'TensorFlow', 'SavedModel', 'Mandarin female voice for IVR prompts.'],
  ['campplus-speaker-verification', 'audio', 'speaker-verification', 'Checkpoint', 'ModelScope', 7, 'Pytorch', 'ONNX', 'Speaker verification for voice login.'],
  ['emotion2vec-base', 'audio', 'emotion-recognition', 'Checkpoint', 'ModelScope', 94, 'Pytorch', 'TorchScript', 'Speech emotion recognition for QA sampling.'],
  ['fsmn-vad-zh', 'audio', 'voice-activity-detection', 'Checkpoint', 'ModelScope', 1, 'Pytorch', 'ONNX', 'Voice activity detection before ASR.'],
  ['ct-punc-zh', 'audio', 'punctuation', 'Checkpoint', 'ModelScope', 290, 'Pytorch', 'ONNX', 'Restores punctuation in ASR output.'],
  ['kws-xiaoyun', 'audio', 'keyword-spotting', 'Checkpoint', 'ModelScope', 1, 'TensorFlow', 'Frozen Pb', 'Wake-word detection for smart speakers.'],
  ['credit-risk-xgboost', 'tabular', 'binary-classification', 'Checkpoint', 'Custom', 1, 'XGBoost', 'XGBoost', 'Credit default risk scoring.'],
  ['churn-prediction-alink', 'tabular', 'binary-classification', 'Checkpoint', 'Custom', 1, 'Alink', 'AlinkModel', 'Predicts subscription churn from usage logs.'],
  ['ctr-deepfm-pmml', 'tabular', 'ctr-prediction', 'Checkpoint', 'Custom', 4, 'TensorFlow', 'PMML', 'Click-through-rate model for the feed.'],
];

const PUBLIC: Spec[] = [
  ['Qwen2.5-0.5B-Instruct', 'nlp', 'text-generation', 'Checkpoint', 'ModelScope', 494, 'Pytorch', 'TorchScript', 'Small chat model, ready to fine-tune.'],
  ['Qwen2-VL-7B-Instruct', 'cv', 'image-text-to-text', 'Checkpoint', 'ModelScope', 8290, 'Pytorch', 'TorchScript', 'Vision-language chat model.'],
  ['CosyVoice-300M', 'audio', 'text-to-speech', 'Checkpoint', 'ModelScope', 300, 'Pytorch', 'TorchScript', 'Multilingual voice generation.'],
  ['SenseVoiceSmall', 'audio', 'automatic-speech-recognition', 'Checkpoint', 'ModelScope', 234, 'Pytorch', 'ONNX', 'Speech recognition with emotion and event tags.'],
  ['FLUX.1-dev', 'cv', 'text-to-image', 'Checkpoint', 'HuggingFace', 12000, 'Pytorch', 'TorchScript', 'High-quality text-to-image model.'],
  ['bge-m3', 'nlp', 'sentence-embedding', 'Checkpoint', 'HuggingFace', 568, 'Pytorch', 'ONNX', 'Multilingual dense, sparse and multi-vector retrieval.'],
];

const TEAMS: Record<string, string> = { nlp: 'search', cv: 'vision', audio: 'speech', tabular: 'risk' };
const ENVS = ['prod', 'staging', 'dev'];
const PROCESSORS: Record<string, string> = { Pytorch: 'pytorch_gpu_1.10', TensorFlow: 'tensorflow_gpu_1.12', Keras: 'tensorflow_cpu_2.7', XGBoost: 'xgboost', Alink: 'alink', Caffe: 'caffe_cpu', Xflow: 'xflow' };

function metricsFor(task: string, rand: () => number): Record<string, unknown> {
  const score = Math.round((0.78 + rand() * 0.2) * 1000) / 1000;
  const name = /speech-recognition/.test(task) ? 'cer' : /detection|segmentation/.test(task) ? 'mAP' : /generation|translation/.test(task) ? 'bleu' : 'accuracy';
  const value = name === 'cer' ? Math.round((1 - score) * 1000) / 1000 : score;
  return { Results: [{ Dataset: { DatasetId: demoId(rand, 'd') }, Metrics: { [name]: value } }] };
}

export function loadDemoModels(store: Store): void {
  const rand = prng(20250106);
  const specs = [...OWN.map((s) => [s, undefined] as const), ...PUBLIC.map((s) => [s, 'pai'] as const)];
  specs.forEach(([[name, domain, task, modelType, origin, params, framework, format, description], provider], i) => {
    const created = BASE + i * 53 * HOUR;
    const labels: StoredLabel[] = [
      { Key: 'team', Value: TEAMS[domain] ?? 'platform' },
      { Key: 'env', Value: ENVS[i % ENVS.length]! },
    ];
    if (rand() < 0.5) labels.push({ Key: 'license', Value: origin === 'Custom' ? 'internal' : 'apache-2.0' });
    const model: StoredModel = {
      seq: store.nextSeq(),
      ModelId: demoId(rand, 'model'),
      ModelName: name,
      ModelDescription: description,
      ModelDoc: `https://pai-docs.example.com/models/${encodeURIComponent(name)}.md`,
      ModelType: modelType,
      Domain: domain,
      Task: task,
      Origin: origin,
      ...(provider ? { Provider: provider } : {}),
      Accessibility: provider || i % 4 === 0 ? 'PUBLIC' : 'PRIVATE',
      WorkspaceId: provider ? '0' : DEMO_ACCOUNT.WorkspaceId,
      OwnerId: DEMO_ACCOUNT.OwnerId,
      UserId: DEMO_ACCOUNT.UserId,
      OrderNumber: i + 1,
      ParameterSize: params,
      ExtraInfo: { DownloadCount: Math.floor(rand() * 600000), Rating: Math.round((4 + rand()) * 100) / 100 },
      GmtCreateTime: formatTime(new Date(created)),
      GmtModifiedTime: formatTime(new Date(created)),
      Labels: labels,
      collections: provider ? ['QuickStart'] : i % 3 === 0 ? ['AI4D'] : [],
      versions: new Map(),
    };
    const versionCount = 2 + Math.floor(rand() * 4);
    let versionTime = created;
    for (let v = 0; v < versionCount; v += 1) {
      versionTime += (6 + Math.floor(rand() * 240)) * HOUR;
      const versionName = v < versionCount - 1 ? `0.${v + 1}.0` : `1.0.0`;
      const last = v === versionCount - 1;
      const pipeline = rand() < 0.4;
      const version: StoredVersion = {
        seq: store.nextSeq(),
        VersionName: versionName,
        VersionDescription: last ? 'Release candidate promoted to production.' : `Iteration ${v + 1}: retrained on refreshed data.`,
        Uri: `oss://pai-demo-models.oss-cn-hangzhou.aliyuncs.com/${name.replace(/[^\w.-]/g, '_')}/${versionName}/`,
        ApprovalStatus: last ? 'Approved' : v === versionCount - 2 ? 'Pending' : 'Rejected',
        FormatType: format,
        FrameworkType: framework,
        SourceType: pipeline ? 'PAIFlow' : 'Custom',
        ...(pipeline ? { SourceId: `region=cn-hangzhou,workspaceId=${DEMO_ACCOUNT.WorkspaceId},kind=PipelineRun,id=run-${demoId(rand, 'x').slice(2, 14)}` } : {}),
        InferenceSpec: { processor: PROCESSORS[framework] ?? 'pytorch_gpu_1.10' },
        TrainingSpec: {},
        EvaluationSpec: {},
        CompressionSpec: {},
        DistillationSpec: {},
        Metrics: metricsFor(task, rand),
        ExtraInfo: {},
        Options: '{}',
        Labels: [{ Key: 'stage', Value: last ? 'release' : 'experiment' }, ...(v === 0 ? [{ Key: 'baseline', Value: 'true' }] : [])],
        OwnerId: DEMO_ACCOUNT.OwnerId,
        UserId: DEMO_ACCOUNT.UserId,
        GmtCreateTime: formatTime(new Date(versionTime)),
        GmtModifiedTime: formatTime(new Date(versionTime + HOUR)),
      };
      model.versions.set(versionName, version);
    }
    model.GmtModifiedTime = formatTime(new Date(versionTime + HOUR));
    store.models.set(model.ModelId, model);
  });
}
