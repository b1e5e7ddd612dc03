import { GraphQLError, type FieldNode } from 'graphql';
import { isGatewayError } from '../errors.js';

/**
 * Checks of a field's arguments, keyed by schema coordinate (`Tensorboard.sharedUrl`). A check
 * throws a BadUserInputError (usually via parseInput) when the arguments break a rule; the
 * resolver runs the same check again, so a check is only an early copy of what the service does.
 */
export type ArgumentChecks = Readonly<Record<string, (args: Record<string, unknown>) => unknown>>;

/**
 * Runs the check of one nested field before execution (the operation policy calls it while it
 * walks the operation to estimate its cost). A bad argument on a nested field
 * (`model { versions(first: 500) }`, `tensorboard { sharedUrl(expireTimeSeconds: 0) }`) would
 * otherwise be found only after its parent had cost an upstream call; here the operation is
 * answered with a 400 naming the coordinate, and no upstream call at all. Root fields are left
 * to their resolvers: their checks already run before any call, and one bad root field then
 * nulls only itself.
 */
export function checkNestedArguments(checks: ArgumentChecks, coordinate: string, args: Record<string, unknown>, node: FieldNode): void {
  const check = checks[coordinate];
  if (!check) return;
  try {
    check(args);
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    throw new GraphQLError(`${coordinate} ${error.message}`, {
      nodes: [node],
      extensions: { ...error.extensions, coordinate, http: { status: 400 } },
    });
  }
}
