import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { isEnumType, type GraphQLEnumType } from 'graphql';
import { Accessibility, createEnumReader, normaliseEnumSpelling } from '../src/core/enums.js';
import { EvalTaskFilterKey, EvalTaskFilterOperator, EvalTaskStatus } from '../src/eval-tasks/eval-tasks.enums.js';
import { ModelApprovalStatus, ModelFormatType, ModelFrameworkType, ModelSourceType } from '../src/models/models.enums.js';
import { TensorboardStatus } from '../src/tensorboards/tensorboards.enums.js';
import { createSchema } from '../src/schema.js';
import { startHarness, type Harness } from './helpers/harness.js';

/** A logger that keeps what is warned. */
const recordingLogger = () => {
  const warnings: { fields: unknown; message: string }[] = [];
  return { warnings, logger: { warn: (fields: unknown, message: string) => void warnings.push({ fields, message }) } as never };
};

describe('the enum reader', () => {
  it.each([
    ['ModelFrameworkType', ModelFrameworkType, ['Pytorch', 'PyTorch', 'PYTORCH', 'pytorch', 'py-torch', 'Py Torch'], 'Pytorch'],
    ['ModelFormatType', ModelFormatType, ['Keras H5', 'keras h5', 'KERAS_H5', 'keras-h5', 'KerasH5'], 'Keras H5'],
    ['ModelFormatType', ModelFormatType, ['TorchScript', 'torchscript', 'TORCH_SCRIPT', 'Torch Script'], 'TorchScript'],
    ['ModelApprovalStatus', ModelApprovalStatus, ['Approved', 'APPROVED', 'approved'], 'Approved'],
    ['ModelSourceType', ModelSourceType, ['PAIFlow', 'PaiFlow', 'paiflow', 'PAI_FLOW'], 'PAIFlow'],
    ['ModelSourceType', ModelSourceType, ['TrainingService', 'TRAINING_SERVICE', 'training-service'], 'TrainingService'],
    ['Accessibility', Accessibility, ['PUBLIC', 'public', 'Public'], 'PUBLIC'],
    ['TensorboardStatus', TensorboardStatus, ['Running', 'running', 'RUNNING'], 'RUNNING'],
    ['EvalTaskStatus', EvalTaskStatus, ['USER_CANCELED', 'user_canceled', 'UserCanceled', 'User Canceled'], 'USER_CANCELED'],
    ['EvalTaskFilterKey', EvalTaskFilterKey, ['SpanName', 'span_name', 'SPAN-NAME'], 'SpanName'],
    ['EvalTaskFilterOperator', EvalTaskFilterOperator, ['=', 'EQUALS', 'equals'], '='],
    ['EvalTaskFilterOperator', EvalTaskFilterOperator, ['StartsWith', 'starts_with', 'STARTS WITH'], 'StartsWith'],
  ])('reads every spelling of one %s value as that value, ignoring case, spaces, _ and -', (name, values, spellings, expected) => {
    const { warnings, logger } = recordingLogger();
    const enums = createEnumReader({ logger });
    for (const spelling of spellings) expect([spelling, enums.read(name, values as Record<string, string>, spelling)]).toEqual([spelling, expected]);
    expect(warnings).toEqual([]);
  });

  it('reads a missing or empty value as null without a warning', () => {
    const { warnings, logger } = recordingLogger();
    const enums = createEnumReader({ logger });
    expect([null, undefined, '', '  '].map((v) => enums.read('ModelFormatType', ModelFormatType, v))).toEqual([null, null, null, null]);
    expect(warnings).toEqual([]);
  });

  it('reads an unknown value as null and warns once per enum and value', () => {
    const { warnings, logger } = recordingLogger();
    const enums = createEnumReader({ logger });
    for (let i = 0; i < 5; i += 1) expect(enums.read('ModelFormatType', ModelFormatType, 'Safetensors')).toBeNull();
    expect(enums.read('ModelFormatType', ModelFormatType, 'GGUF')).toBeNull();
    expect(enums.read('ModelFrameworkType', ModelFrameworkType, 'Safetensors')).toBeNull();
    expect(warnings.map((w) => w.fields)).toEqual([
      { enum: 'ModelFormatType', value: 'Safetensors' },
      { enum: 'ModelFormatType', value: 'GGUF' },
      { enum: 'ModelFrameworkType', value: 'Safetensors' },
    ]);
    expect(warnings[0]!.message).toContain('ModelFormatType');
  });

  it('gives every enum of the schema a spelling table without collisions', () => {
    const enums = createEnumReader(recordingLogger());
    // Read from the built schema, so an enum added later is covered without touching this test.
    const schemaEnums = Object.values(createSchema().getTypeMap()).filter((t): t is GraphQLEnumType => isEnumType(t) && !t.name.startsWith('__') && !t.name.startsWith('link__'));
    expect(schemaEnums.map((t) => t.name)).toEqual(expect.arrayContaining(['Accessibility', 'ModelFormatType', 'EvalTaskStatus', 'TensorboardStatus']));
    for (const type of schemaEnums) {
      const values = Object.fromEntries(type.getValues().map((v) => [v.name, v.value as string]));
      for (const [graphqlName, upstream] of Object.entries(values)) {
        expect(enums.read(type.name, values, graphqlName)).toBe(upstream);
        expect(enums.read(type.name, values, upstream)).toBe(upstream);
      }
    }
  });

  it('refuses an enum two of whose values read the same', () => {
    const enums = createEnumReader(recordingLogger());
    expect(() => enums.read('Clash', { A: 'FooBar', B: 'foo_bar' }, 'x')).toThrow('Clash: FooBar and foo_bar read the same');
    expect(normaliseEnumSpelling(' Keras-H5_x ')).toBe('kerash5x');
  });
});

describe('enum fields read what PAI sends', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.resetCalls());
  afterEach(() => h.emulator.faults.clear());

  /** The warn-level log lines about one unknown value. */
  const warningsAbout = (value: string) =>
    h.logs.map((l) => JSON.parse(l) as { level: number; enum?: string; value?: string }).filter((l) => l.level === 40 && l.value === value);

  const firstModel = async () => {
    const r = await h.gql(`{ models(first: 1) { nodes { id latestVersion { name } } } }`);
    const node = r.result.data!.models.nodes[0];
    const stored = h.emulator.store.models.get(node.id)!;
    h.resetCalls();
    return { id: node.id as string, stored, version: stored.versions.get(node.latestVersion.name)! };
  };

  it('reads PAI’s mixed spellings as the enum value and shows each raw spelling beside it', async () => {
    const { id, stored, version } = await firstModel();
    const kept = { ...version, Accessibility: stored.Accessibility };
    Object.assign(version, { FrameworkType: 'PyTorch', FormatType: 'keras_h5', ApprovalStatus: 'APPROVED', SourceType: 'paiflow' });
    stored.Accessibility = 'public';
    const r = await h.gql(`query($id: ID!) { model(id: $id) {
      accessibility accessibilityRaw
      latestVersion { frameworkType frameworkTypeRaw formatType formatTypeRaw approvalStatus approvalStatusRaw sourceType sourceTypeRaw }
    } }`, { id });
    Object.assign(version, { FrameworkType: kept.FrameworkType, FormatType: kept.FormatType, ApprovalStatus: kept.ApprovalStatus, SourceType: kept.SourceType });
    stored.Accessibility = kept.Accessibility;
    expect(r.result).toEqual({
      data: {
        model: {
          accessibility: 'PUBLIC',
          accessibilityRaw: 'public',
          latestVersion: {
            frameworkType: 'PYTORCH',
            frameworkTypeRaw: 'PyTorch',
            formatType: 'KERAS_H5',
            formatTypeRaw: 'keras_h5',
            approvalStatus: 'APPROVED',
            approvalStatusRaw: 'APPROVED',
            sourceType: 'PAIFLOW',
            sourceTypeRaw: 'paiflow',
          },
        },
      },
    });
    expect(h.actions()).toEqual(['GetModel']);
  });

  it('reads an unknown value as null with its raw string, without an error, and warns once however often it is read', async () => {
    const { id, version } = await firstModel();
    const kept = version.FormatType;
    version.FormatType = 'Safetensors-v2';
    const query = `query($id: ID!, $name: String!) { model(id: $id) { latestVersion { formatType formatTypeRaw } version(name: $name) { formatType formatTypeRaw } } }`;
    const first = await h.gql(query, { id, name: version.VersionName });
    const second = await h.gql(query, { id, name: version.VersionName });
    version.FormatType = kept;
    const unknown = { formatType: null, formatTypeRaw: 'Safetensors-v2' };
    expect(first.result).toEqual({ data: { model: { latestVersion: unknown, version: unknown } } });
    expect(second.result).toEqual(first.result);
    // GetModel carries the latest version, which primes the version loader.
    expect(h.actions()).toEqual(['GetModel', 'GetModel']);
    expect(warningsAbout('Safetensors-v2')).toEqual([expect.objectContaining({ level: 40, enum: 'ModelFormatType', value: 'Safetensors-v2' })]);
  });

  it('reads a TensorBoard’s status however the list and the detail spell it', async () => {
    const list = await h.gql(`{ tensorboards(first: 1, filter: { status: RUNNING }) { nodes { id status statusRaw accessibility accessibilityRaw } } }`);
    const listed = list.result.data!.tensorboards.nodes[0];
    expect(listed).toMatchObject({ status: 'RUNNING', statusRaw: 'Running', accessibility: expect.any(String) });
    expect(listed.accessibilityRaw.toUpperCase()).toBe(listed.accessibility);
    const detail = await h.gql(`query($id: ID!) { tensorboard(id: $id) { status statusRaw } }`, { id: listed.id });
    expect(detail.result).toEqual({ data: { tensorboard: { status: 'RUNNING', statusRaw: 'running' } } });
    expect(h.actions()).toEqual(['ListTensorboards', 'GetTensorboard']);
  });

  it('lists every eval-task filter, with null and the raw spelling for a key or operator it does not know', async () => {
    const list = await h.gql(`{ evalTasks(first: 1) { nodes { id } } }`);
    const id = list.result.data!.evalTasks.nodes[0].id;
    const stored = h.emulator.store.evalTasks.get(id)!;
    const kept = stored.Filters;
    stored.Filters = [
      { Key: 'SpanName', Operator: '=', Value: 'llm' },
      { Key: 'service_name', Operator: 'contains', Value: 'bot' },
      { Key: 'LatencyMs', Operator: 'GreaterThan', Value: '100' },
    ];
    h.resetCalls();
    const r = await h.gql(`query($id: ID!) { evalTask(id: $id) { filters { key keyRaw operator operatorRaw value } } }`, { id });
    stored.Filters = kept;
    expect(r.result).toEqual({
      data: {
        evalTask: {
          filters: [
            { key: 'SPAN_NAME', keyRaw: 'SpanName', operator: 'EQUALS', operatorRaw: '=', value: 'llm' },
            { key: 'SERVICE_NAME', keyRaw: 'service_name', operator: 'CONTAINS', operatorRaw: 'contains', value: 'bot' },
            { key: null, keyRaw: 'LatencyMs', operator: null, operatorRaw: 'GreaterThan', value: '100' },
          ],
        },
      },
    });
    expect(h.actions()).toEqual(['GetOnlineEvalTask']);
    expect(warningsAbout('LatencyMs')).toEqual([expect.objectContaining({ enum: 'EvalTaskFilterKey' })]);
    expect(warningsAbout('GreaterThan')).toEqual([expect.objectContaining({ enum: 'EvalTaskFilterOperator' })]);
  });

  it('reads an eval task’s status in any case, and a status newer than the schema as null with its raw string', async () => {
    const task = (Id: string, Status: string) => ({ Id, Name: Id, Status, Filters: [] });
    h.emulator.faults.add({ action: 'ListOnlineEvalTasks', times: 1, body: { Tasks: [task('t1', 'running'), task('t2', 'User_Canceled'), task('t3', 'PAUSED')], TotalCount: 3, RequestId: 'R' } });
    const r = await h.gql(`{ evalTasks(first: 3) { nodes { id status statusRaw } } }`);
    expect(r.result).toEqual({
      data: {
        evalTasks: {
          nodes: [
            { id: 't1', status: 'RUNNING', statusRaw: 'running' },
            { id: 't2', status: 'USER_CANCELED', statusRaw: 'User_Canceled' },
            { id: 't3', status: null, statusRaw: 'PAUSED' },
          ],
        },
      },
    });
    expect(h.actions()).toEqual(['ListOnlineEvalTasks']);
    expect(warningsAbout('PAUSED')).toEqual([expect.objectContaining({ level: 40, enum: 'EvalTaskStatus' })]);
  });
});
