import { describe, expect, it } from '@jest/globals';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isUnionType, type GraphQLSchema } from 'graphql';
import { createSchema } from '../src/schema.js';

/** Added by @apollo/subgraph for routers, not authored here: `_Any`, `_Entity`, `_Service`, `link__*`, `federation__*`. */
const isFederationMachinery = (name: string) => name.startsWith('_') || name.startsWith('link__') || name.startsWith('federation__');

/** Every named type, field, argument and enum value a frontend developer sees, by path. */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const has = (d: string | null | undefined) => typeof d === 'string' && d.trim().length > 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (isFederationMachinery(type.name) || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
    if (!has(type.description) && !['Query', 'Mutation'].includes(type.name)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (isFederationMachinery(field.name)) continue;
        if (!has(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!has(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (!has(field.description)) missing.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (!has(value.description)) missing.push(`${type.name}.${value.name}`);
    } else if (!isScalarType(type) && !isUnionType(type)) {
      missing.push(`${String(type)} (unknown kind)`);
    }
  }
  return missing;
}

describe('the schema', () => {
  it('is a Federation 2 subgraph with _service and _entities over seven entities', () => {
    const schema = createSchema();
    expect(Object.keys(schema.getQueryType()!.getFields())).toEqual(expect.arrayContaining(['_service', '_entities']));
    const entity = schema.getType('_Entity');
    expect(isUnionType(entity) ? entity.getTypes().map((t) => t.name).sort() : []).toEqual(['Algorithm', 'AlgorithmVersion', 'EvalTask', 'Model', 'ModelVersion', 'Service', 'Tensorboard']);
  });

  it('describes every type, field, argument and enum value', () => {
    expect(undescribed(createSchema())).toEqual([]);
  });
});
