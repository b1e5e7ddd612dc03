import { DEMO_ACCOUNT, type Store, type StoredEvalTask } from '../store.js';
import { BASE, HOUR, prng } from './random.js';

/**
 * Demo online evaluation tasks in every status. Statuses follow the clock: past windows are
 * FINISHED, open windows RUNNING, future windows CREATED, and one task was stopped.
 */

const DAY = 24 * HOUR;
const FAR_FUTURE = Date.UTC(2099, 0, 1);

const judge = (name: string) => ({
  Name: name,
  Endpoint: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
  // A placeholder the emulator echoes back like the service does; the gateway never returns it.
  ApiKey: 'demo-judge-key-not-a-real-credential',
  IsSelfHost: false,
  Temperature: 0.2,
  TopP: 0.9,
  UseFunctionCall: false,
});

const ragConfig = {
  Query: { SpanName: 'retrieve', JsonPathInSpan: 'attributes.input.value' },
  Answer: { SpanName: 'llm', JsonPathInSpan: 'attributes.output.value', JsonPathInSpanValue: 'message/content' },
  Context: { SpanName: 'retrieve', JsonPathInSpan: 'attributes.retrieval.documents[*].document.content' },
};

type Demo = Omit<StoredEvalTask, 'seq' | 'Id' | 'AliyunUid' | 'UserId'>;

const TASKS: Demo[] = [
  { Name: 'support-bot-faithfulness-q1', Description: 'January to March answers of the support bot.', AppName: 'support-bot', createdAt: BASE + 2 * DAY, startTime: BASE, endTime: BASE + 90 * DAY, SamplingFrequencyMinutes: 60, SamplingRatio: 20, Filters: [{ Key: 'ServiceName', Operator: '=', Value: 'support-bot-prod' }], EvaluationConfig: ragConfig, ModelConfig: judge('qwen-max') },
  { Name: 'support-bot-faithfulness-live', Description: 'Continuous evaluation of production answers.', AppName: 'support-bot', createdAt: BASE + 91 * DAY, startTime: BASE + 91 * DAY, SamplingFrequencyMinutes: 30, SamplingRatio: 10, Filters: [{ Key: 'ServiceName', Operator: '=', Value: 'support-bot-prod' }, { Key: 'SpanType', Operator: '=', Value: 'LLM' }], EvaluationConfig: ragConfig, ModelConfig: judge('qwen-max') },
  { Name: 'search-rag-relevance', Description: 'Relevance of retrieved passages for site search.', AppName: 'site-search', createdAt: BASE + 30 * DAY, startTime: BASE + 30 * DAY, SamplingFrequencyMinutes: 15, SamplingRatio: 100, Filters: [{ Key: 'SpanName', Operator: 'StartsWith', Value: 'retrieve' }], EvaluationConfig: ragConfig, ModelConfig: judge('qwen-plus') },
  { Name: 'checkout-assistant-toxicity', Description: 'Toxicity screening of assistant replies.', AppName: 'checkout-assistant', createdAt: BASE + 45 * DAY, startTime: BASE + 40 * DAY, endTime: BASE + 60 * DAY, SamplingFrequencyMinutes: 120, SamplingRatio: 50, Filters: [{ Key: 'Output', Operator: 'Contains', Value: 'refund' }], EvaluationConfig: { Answer: ragConfig.Answer }, ModelConfig: judge('qwen-turbo') },
  { Name: 'legal-qa-pilot', Description: 'Pilot evaluation, stopped after the model changed.', AppName: 'legal-qa', createdAt: BASE + 50 * DAY, startTime: BASE + 50 * DAY, stoppedAt: BASE + 57 * DAY, SamplingFrequencyMinutes: 60, SamplingRatio: 30, Filters: [], EvaluationConfig: ragConfig, ModelConfig: { ...judge('deepseek-r1'), IsSelfHost: true, Endpoint: 'http://10.0.12.7:8000/v1' } },
  { Name: 'legal-qa-launch', Description: 'Starts when the legal assistant launches.', AppName: 'legal-qa', createdAt: BASE + 60 * DAY, startTime: FAR_FUTURE, SamplingFrequencyMinutes: 60, SamplingRatio: 25, Filters: [{ Key: 'TraceName', Operator: '=', Value: 'legal-answer' }], EvaluationConfig: ragConfig },
  { Name: 'code-review-bot-accuracy', Description: 'Scores review comments against accepted fixes.', AppName: 'code-review-bot', createdAt: BASE + 70 * DAY, startTime: BASE + 70 * DAY, endTime: BASE + 100 * DAY, SamplingFrequencyMinutes: 240, SamplingRatio: 100, Filters: [{ Key: 'Status', Operator: '=', Value: 'OK' }], EvaluationConfig: { Query: ragConfig.Query, Answer: ragConfig.Answer }, ModelConfig: { ...judge('qwen-max'), UseFunctionCall: true } },
  { Name: 'search-rag-regression', Description: 'Nightly regression over sampled queries.', AppName: 'site-search', createdAt: BASE + 120 * DAY, startTime: BASE + 120 * DAY, SamplingFrequencyMinutes: 1440, SamplingRatio: 5, Filters: [{ Key: 'ServiceId', Operator: '=', Value: 'svc-search-01' }], EvaluationConfig: ragConfig, ModelConfig: judge('qwen-plus') },
];

export function loadDemoEvalTasks(store: Store): void {
  const rand = prng(20250108);
  for (const t of TASKS) {
    let id = '';
    for (let i = 0; i < 32; i += 1) id += '0123456789abcdef'[Math.floor(rand() * 16)];
    store.evalTasks.set(id, { ...t, seq: store.nextSeq(), Id: id, AliyunUid: DEMO_ACCOUNT.OwnerId, UserId: DEMO_ACCOUNT.UserId });
  }
}
