import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';

/**
 * Refuses subscription operations sent over HTTP (POST or GET). Subscriptions are served over
 * WebSocket with the graphql-transport-ws protocol on /graphql; over HTTP, graphql-js would run
 * one with no Subscription type as an internal error, and with one as a single execution that
 * never streams. A validation rule refuses it before anything runs, whatever the schema holds.
 * Only the HTTP pipeline (Apollo's validationRules) uses it; the WebSocket server must not.
 */
export const SUBSCRIPTIONS_OVER_HTTP_MESSAGE =
  'Subscriptions are not served over HTTP: open a WebSocket to /graphql with the graphql-transport-ws protocol (e.g. the graphql-ws client) and subscribe there.';

export function NoSubscriptionsOverHttpRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation === 'subscription') context.reportError(new GraphQLError(SUBSCRIPTIONS_OVER_HTTP_MESSAGE, { nodes: node }));
    },
  };
}
