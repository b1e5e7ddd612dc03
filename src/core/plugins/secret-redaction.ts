import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type DocumentNode } from 'graphql';

const REDACTED = '[redacted]';

/**
 * Every string under a secret-named key, anywhere in a variables object. Walks with an explicit
 * stack: variables nested deeper than the call stack (a JSON argument the scalar refuses) must
 * not crash the answer that refuses them.
 */
function secretsInVariables(variables: unknown, fields: ReadonlySet<string>, out: Set<string>): Set<string> {
  const stack: { value: unknown; underSecret: boolean }[] = [{ value: variables, underSecret: false }];
  while (stack.length > 0) {
    const { value, underSecret } = stack.pop()!;
    if (typeof value === 'string') {
      if (underSecret && value) out.add(value);
    } else if (Array.isArray(value)) {
      for (const v of value) stack.push({ value: v, underSecret });
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) stack.push({ value: v, underSecret: fields.has(k) });
    }
  }
  return out;
}

/** Every string literal written for a secret-named input field in the document. */
function secretsInDocument(document: DocumentNode | undefined, fields: ReadonlySet<string>, out: Set<string>): Set<string> {
  if (!document) return out;
  visit(document, {
    ObjectField(node) {
      if (fields.has(node.name.value) && node.value.kind === Kind.STRING && node.value.value) out.add(node.value.value);
    },
  });
  return out;
}

/** Longest error message sent; graphql-js's variable errors echo the whole offending value. */
export const MAX_ERROR_MESSAGE = 1000;

/** Keeps a message's start and its end, where graphql-js states the rule, and drops the middle. */
const clip = (text: string) => {
  if (text.length <= MAX_ERROR_MESSAGE) return text;
  const head = text.slice(0, 600);
  const tail = text.slice(-350);
  return `${head} ... (${text.length - head.length - tail.length} characters left out) ... ${tail}`;
};

/**
 * Keeps write-only secrets (the eval-task judge's `apiKey`) out of error messages. GraphQL's
 * own variable errors print the offending input object whole, secret included; this blanks
 * every secret value the request carried from every error before the response leaves, then
 * clips each message to MAX_ERROR_MESSAGE characters (in that order: clipping first could cut
 * a secret in two and leave half of it).
 */
export function createSecretRedactionPlugin(options: { fields: readonly string[] }): ApolloServerPlugin {
  const fields = new Set(options.fields);
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, document, response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors?.length) return;
          const secrets = secretsInDocument(document, fields, secretsInVariables(request.variables, fields, new Set()));
          const scrub = (text: string) => [...secrets].reduce((t, s) => t.split(s).join(REDACTED), text);
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({ ...e, message: clip(scrub(e.message)) }));
        },
      };
    },
  };
}
