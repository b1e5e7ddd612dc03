import { GraphQLError, OperationTypeNode, type OperationDefinitionNode } from 'graphql';

/**
 * Refuses subscription operations sent over HTTP (POST or GET). Subscriptions are served over
 * WebSocket with the graphql-transport-ws protocol on /graphql; over HTTP, graphql-js would run
 * one as a single execution that never streams. The check is on the operation that would run,
 * once it is resolved and before it is costed, charged or executed: a document that also holds
 * subscriptions (Sandbox's and GraphiQL's collections do) still runs its queries and mutations.
 * Only the HTTP pipeline (the operation policy plugin) uses it; the WebSocket server must not.
 */
export const SUBSCRIPTIONS_OVER_HTTP_MESSAGE =
  'Subscriptions are not served over HTTP: open a WebSocket to /graphql with the graphql-transport-ws protocol (e.g. the graphql-ws client) and subscribe there.';

/** The 400 a subscription operation gets over HTTP, or undefined for any other operation. */
export function subscriptionOverHttpError(operation: OperationDefinitionNode): GraphQLError | undefined {
  if (operation.operation !== OperationTypeNode.SUBSCRIPTION) return undefined;
  return new GraphQLError(SUBSCRIPTIONS_OVER_HTTP_MESSAGE, { nodes: operation, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
}
