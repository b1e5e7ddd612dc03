import { createHash } from 'node:crypto';

/**
 * The emulator's judge model: deterministic verdicts in PaiLLMTrace's record format
 * (upstream-contract 13.2), and the platform's prompt templates (13.3). A record depends only
 * on its seed, so a task's results are the same on every read and need not be stored.
 */

export type EvalAppType = 'qa' | 'rag';

/** The metrics each kind of application is judged on (the templates' metric names). */
const METRICS: Record<EvalAppType, readonly string[]> = { qa: ['correctness', 'faithfulness'], rag: ['relevance', 'faithfulness', 'correctness'] };

/** Per metric: display names (English, Chinese) and labels by score 0, 0.5 and 1. */
const VERDICTS: Record<string, { names: [string, string]; labels: [string, string][]; reasons: string[] }> = {
  correctness: {
    names: ['correctness', '正确性'],
    labels: [
      ['incorrect', '错误'],
      ['partially correct', '部分正确'],
      ['correct', '正确'],
    ],
    reasons: ['The answer contradicts the reference facts.', 'The answer is right about the refund window but wrong about the fee.', 'The answer matches the reference answer.'],
  },
  faithfulness: {
    names: ['faithfulness', '忠实性'],
    labels: [
      ['false', '非事实'],
      ['partially', '部分事实'],
      ['true', '事实'],
    ],
    reasons: ['The answer states things the context does not support.', 'Most claims are grounded; one date is not in the context.', 'Every claim in the answer is supported by the context.'],
  },
  relevance: {
    names: ['relevance', '相关性'],
    labels: [
      ['irrelevant', '不相关'],
      ['partially relevant', '部分相关'],
      ['relevant', '相关'],
    ],
    reasons: ['The retrieved passages are about a different product.', 'One of three passages answers the question.', 'The retrieved passages answer the question directly.'],
  },
};

const SCORES = [0, 0.5, 1] as const;

/** The evaluated questions ListEvalResults' `Keyword` searches. */
const QUESTIONS = [
  'How do I reset my password?',
  'What is the refund window for annual plans?',
  'Can I change the delivery address after checkout?',
  'Which regions support GPU instances?',
  'How long are invoices kept?',
  'Why was my card declined?',
];

const bytesOf = (seed: string) => createHash('sha256').update(seed).digest();

/** What kind of application an evaluation config describes: a retrieved context makes it RAG. */
export const appTypeOf = (evaluationConfig: Record<string, unknown> | undefined): EvalAppType => (evaluationConfig?.Context ? 'rag' : 'qa');

/** One result record, as the service serialises it inside `EvaluationResults`. */
export function judge(appType: EvalAppType, seed: string): Record<string, unknown> {
  const b = bytesOf(seed);
  // Some judges answer in Chinese; some reasoning models wrap their verdict in markup.
  const chinese = b[0]! % 5 === 0 ? 1 : 0;
  const markup = b[1]! % 7 === 0;
  const result: Record<string, unknown> = {};
  METRICS[appType].forEach((metric, i) => {
    const v = VERDICTS[metric]!;
    const roll = b[2 + i]!;
    const level = roll < 30 ? 0 : roll < 80 ? 1 : 2;
    const reason = v.reasons[level]!;
    result[metric] = {
      label: v.labels[level]![chinese],
      score: SCORES[level],
      reason: markup ? `<think>Compare the answer with the context.</think><answer>{"score": ${SCORES[level]}, "reason": "${reason}"}</answer>` : reason,
      name: v.names[chinese],
    };
  });
  return { result, eval_app_type: appType };
}

/** The evaluated input of a trace (what `Keyword` is matched against). */
export const inputOf = (traceId: string, appName: string | undefined): string => `${appName ? `[${appName}] ` : ''}${QUESTIONS[bytesOf(traceId)[0]! % QUESTIONS.length]!}`;

const template = (metric: string, what: string) => ({
  metric,
  template: `You are a strict evaluator. Judge the ${what}.\n\nQuestion: {query}\nContext: {context}\nAnswer: {answer}\n\nReply with <answer>{"score": 0|0.5|1, "reason": "..."}</answer>.`,
});

/** GetEvaluationTemplates: platform-wide prompts, the same for every caller. */
export const TEMPLATES = [
  { eval_app_type: 'qa', templates: [template('correctness', 'correctness of the answer against the reference'), template('faithfulness', 'faithfulness of the answer to the context')] },
  {
    eval_app_type: 'rag',
    templates: [
      template('relevance', 'relevance of the retrieved context to the question'),
      template('faithfulness', 'faithfulness of the answer to the retrieved context'),
      template('correctness', 'correctness of the answer'),
    ],
  },
];
