/**
 * PaiLLMTrace speaks UTC times as `YYYY-MM-DD HH:mm:ss`; GraphQL speaks ISO 8601. These two
 * functions are the only translation between them.
 */
const LLMTRACE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

export function toLlmTraceTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
}

/** The ISO form of a PaiLLMTrace time, or undefined when the text is not one. */
export function fromLlmTraceTime(text: string): string | undefined {
  const m = LLMTRACE_TIME.exec(text);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
