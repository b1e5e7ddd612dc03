/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation CreateModelVersion($input: CreateModelVersionInput!) {\n  createModelVersion(input: $input) {\n    modelVersion {\n      id\n      name\n      formatType\n      model {\n        id\n      }\n    }\n  }\n}": typeof types.CreateModelVersionDocument,
    "mutation DeployModelVersion($input: DeployModelVersionInput!) {\n  deployModelVersion(input: $input) {\n    service {\n      id\n      name\n      status\n      internetEndpoint\n      totalInstances\n      labels {\n        key\n        value\n      }\n    }\n  }\n}\n\nquery ServiceStatus($name: String!) {\n  service(name: $name) {\n    id\n    name\n    status\n    reason\n    message\n    runningInstances\n    pendingInstances\n    internetEndpoint\n    hasAccessToken\n  }\n}": typeof types.DeployModelVersionDocument,
    "mutation AddModelLabels($input: AddModelLabelsInput!) {\n  addModelLabels(input: $input) {\n    model {\n      id\n      labels {\n        key\n        value\n      }\n    }\n  }\n}\n\nmutation RemoveModelLabels($input: RemoveModelLabelsInput!) {\n  removeModelLabels(input: $input) {\n    model {\n      id\n      labels {\n        key\n        value\n      }\n    }\n  }\n}": typeof types.AddModelLabelsDocument,
    "query EvalTaskDashboard($first: Int!, $filter: EvalTaskFilter) {\n  evalTasks(first: $first, filter: $filter) {\n    totalCount\n    nodes {\n      id\n      name\n      appName\n      status\n      samplingRatio\n      recordCount\n      modelConfig {\n        name\n        hasApiKey\n      }\n    }\n  }\n}": typeof types.EvalTaskDashboardDocument,
    "query ModelDetail($id: ID!) {\n  model(id: $id) {\n    id\n    name\n    description\n    labels {\n      key\n      value\n    }\n    versions(first: 10) {\n      totalCount\n      nodes {\n        id\n        name\n        formatType\n        labels {\n          key\n          value\n        }\n      }\n    }\n  }\n}": typeof types.ModelDetailDocument,
    "query ModelListPage($first: Int!, $after: String, $filter: ModelFilter) {\n  models(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        domain\n        labels {\n          key\n          value\n        }\n      }\n    }\n  }\n}": typeof types.ModelListPageDocument,
    "query NodeCard($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Model {\n      name\n      description\n    }\n    ... on ModelVersion {\n      name\n      formatType\n      model {\n        id\n        name\n      }\n    }\n    ... on Algorithm {\n      name\n      displayName\n    }\n    ... on AlgorithmVersion {\n      name\n      algorithm {\n        id\n      }\n    }\n    ... on EvalTask {\n      taskName: name\n      appName\n    }\n    ... on Tensorboard {\n      displayName\n      url\n    }\n    ... on Service {\n      name\n      status\n    }\n  }\n}\n\nquery NodeCards($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on Model {\n      name\n    }\n    ... on ModelVersion {\n      name\n    }\n    ... on Algorithm {\n      name\n    }\n    ... on AlgorithmVersion {\n      name\n    }\n    ... on EvalTask {\n      taskName: name\n    }\n    ... on Tensorboard {\n      displayName\n    }\n    ... on Service {\n      name\n    }\n  }\n}": typeof types.NodeCardDocument,
    "query TensorboardShareLink($id: ID!, $seconds: Int) {\n  tensorboard(id: $id) {\n    id\n    displayName\n    status\n    sharedUrl(expireTimeSeconds: $seconds)\n  }\n}": typeof types.TensorboardShareLinkDocument,
    "subscription TensorboardStatus($id: ID!) {\n  tensorboardChanged(id: $id) {\n    id\n    displayName\n    status\n    reasonMessage\n    url\n  }\n}": typeof types.TensorboardStatusDocument,
};
const documents: Documents = {
    "mutation CreateModelVersion($input: CreateModelVersionInput!) {\n  createModelVersion(input: $input) {\n    modelVersion {\n      id\n      name\n      formatType\n      model {\n        id\n      }\n    }\n  }\n}": types.CreateModelVersionDocument,
    "mutation DeployModelVersion($input: DeployModelVersionInput!) {\n  deployModelVersion(input: $input) {\n    service {\n      id\n      name\n      status\n      internetEndpoint\n      totalInstances\n      labels {\n        key\n        value\n      }\n    }\n  }\n}\n\nquery ServiceStatus($name: String!) {\n  service(name: $name) {\n    id\n    name\n    status\n    reason\n    message\n    runningInstances\n    pendingInstances\n    internetEndpoint\n    hasAccessToken\n  }\n}": types.DeployModelVersionDocument,
    "mutation AddModelLabels($input: AddModelLabelsInput!) {\n  addModelLabels(input: $input) {\n    model {\n      id\n      labels {\n        key\n        value\n      }\n    }\n  }\n}\n\nmutation RemoveModelLabels($input: RemoveModelLabelsInput!) {\n  removeModelLabels(input: $input) {\n    model {\n      id\n      labels {\n        key\n        value\n      }\n    }\n  }\n}": types.AddModelLabelsDocument,
    "query EvalTaskDashboard($first: Int!, $filter: EvalTaskFilter) {\n  evalTasks(first: $first, filter: $filter) {\n    totalCount\n    nodes {\n      id\n      name\n      appName\n      status\n      samplingRatio\n      recordCount\n      modelConfig {\n        name\n        hasApiKey\n      }\n    }\n  }\n}": types.EvalTaskDashboardDocument,
    "query ModelDetail($id: ID!) {\n  model(id: $id) {\n    id\n    name\n    description\n    labels {\n      key\n      value\n    }\n    versions(first: 10) {\n      totalCount\n      nodes {\n        id\n        name\n        formatType\n        labels {\n          key\n          value\n        }\n      }\n    }\n  }\n}": types.ModelDetailDocument,
    "query ModelListPage($first: Int!, $after: String, $filter: ModelFilter) {\n  models(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        domain\n        labels {\n          key\n          value\n        }\n      }\n    }\n  }\n}": types.ModelListPageDocument,
    "query NodeCard($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Model {\n      name\n      description\n    }\n    ... on ModelVersion {\n      name\n      formatType\n      model {\n        id\n        name\n      }\n    }\n    ... on Algorithm {\n      name\n      displayName\n    }\n    ... on AlgorithmVersion {\n      name\n      algorithm {\n        id\n      }\n    }\n    ... on EvalTask {\n      taskName: name\n      appName\n    }\n    ... on Tensorboard {\n      displayName\n      url\n    }\n    ... on Service {\n      name\n      status\n    }\n  }\n}\n\nquery NodeCards($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on Model {\n      name\n    }\n    ... on ModelVersion {\n      name\n    }\n    ... on Algorithm {\n      name\n    }\n    ... on AlgorithmVersion {\n      name\n    }\n    ... on EvalTask {\n      taskName: name\n    }\n    ... on Tensorboard {\n      displayName\n    }\n    ... on Service {\n      name\n    }\n  }\n}": types.NodeCardDocument,
    "query TensorboardShareLink($id: ID!, $seconds: Int) {\n  tensorboard(id: $id) {\n    id\n    displayName\n    status\n    sharedUrl(expireTimeSeconds: $seconds)\n  }\n}": types.TensorboardShareLinkDocument,
    "subscription TensorboardStatus($id: ID!) {\n  tensorboardChanged(id: $id) {\n    id\n    displayName\n    status\n    reasonMessage\n    url\n  }\n}": types.TensorboardStatusDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateModelVersion($input: CreateModelVersionInput!) {\n  createModelVersion(input: $input) {\n    modelVersion {\n      id\n      name\n      formatType\n      model {\n        id\n      }\n    }\n  }\n}"): (typeof documents)["mutation CreateModelVersion($input: CreateModelVersionInput!) {\n  createModelVersion(input: $input) {\n    modelVersion {\n      id\n      name\n      formatType\n      model {\n        id\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeployModelVersion($input: DeployModelVersionInput!) {\n  deployModelVersion(input: $input) {\n    service {\n      id\n      name\n      status\n      internetEndpoint\n      totalInstances\n      labels {\n        key\n        value\n      }\n    }\n  }\n}\n\nquery ServiceStatus($name: String!) {\n  service(name: $name) {\n    id\n    name\n    status\n    reason\n    message\n    runningInstances\n    pendingInstances\n    internetEndpoint\n    hasAccessToken\n  }\n}"): (typeof documents)["mutation DeployModelVersion($input: DeployModelVersionInput!) {\n  deployModelVersion(input: $input) {\n    service {\n      id\n      name\n      status\n      internetEndpoint\n      totalInstances\n      labels {\n        key\n        value\n      }\n    }\n  }\n}\n\nquery ServiceStatus($name: String!) {\n  service(name: $name) {\n    id\n    name\n    status\n    reason\n    message\n    runningInstances\n    pendingInstances\n    internetEndpoint\n    hasAccessToken\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AddModelLabels($input: AddModelLabelsInput!) {\n  addModelLabels(input: $input) {\n    model {\n      id\n      labels {\n        key\n        value\n      }\n    }\n  }\n}\n\nmutation RemoveModelLabels($input: RemoveModelLabelsInput!) {\n  removeModelLabels(input: $input) {\n    model {\n      id\n      labels {\n        key\n        value\n      }\n    }\n  }\n}"): (typeof documents)["mutation AddModelLabels($input: AddModelLabelsInput!) {\n  addModelLabels(input: $input) {\n    model {\n      id\n      labels {\n        key\n        value\n      }\n    }\n  }\n}\n\nmutation RemoveModelLabels($input: RemoveModelLabelsInput!) {\n  removeModelLabels(input: $input) {\n    model {\n      id\n      labels {\n        key\n        value\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query EvalTaskDashboard($first: Int!, $filter: EvalTaskFilter) {\n  evalTasks(first: $first, filter: $filter) {\n    totalCount\n    nodes {\n      id\n      name\n      appName\n      status\n      samplingRatio\n      recordCount\n      modelConfig {\n        name\n        hasApiKey\n      }\n    }\n  }\n}"): (typeof documents)["query EvalTaskDashboard($first: Int!, $filter: EvalTaskFilter) {\n  evalTasks(first: $first, filter: $filter) {\n    totalCount\n    nodes {\n      id\n      name\n      appName\n      status\n      samplingRatio\n      recordCount\n      modelConfig {\n        name\n        hasApiKey\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ModelDetail($id: ID!) {\n  model(id: $id) {\n    id\n    name\n    description\n    labels {\n      key\n      value\n    }\n    versions(first: 10) {\n      totalCount\n      nodes {\n        id\n        name\n        formatType\n        labels {\n          key\n          value\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query ModelDetail($id: ID!) {\n  model(id: $id) {\n    id\n    name\n    description\n    labels {\n      key\n      value\n    }\n    versions(first: 10) {\n      totalCount\n      nodes {\n        id\n        name\n        formatType\n        labels {\n          key\n          value\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ModelListPage($first: Int!, $after: String, $filter: ModelFilter) {\n  models(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        domain\n        labels {\n          key\n          value\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query ModelListPage($first: Int!, $after: String, $filter: ModelFilter) {\n  models(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        domain\n        labels {\n          key\n          value\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query NodeCard($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Model {\n      name\n      description\n    }\n    ... on ModelVersion {\n      name\n      formatType\n      model {\n        id\n        name\n      }\n    }\n    ... on Algorithm {\n      name\n      displayName\n    }\n    ... on AlgorithmVersion {\n      name\n      algorithm {\n        id\n      }\n    }\n    ... on EvalTask {\n      taskName: name\n      appName\n    }\n    ... on Tensorboard {\n      displayName\n      url\n    }\n    ... on Service {\n      name\n      status\n    }\n  }\n}\n\nquery NodeCards($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on Model {\n      name\n    }\n    ... on ModelVersion {\n      name\n    }\n    ... on Algorithm {\n      name\n    }\n    ... on AlgorithmVersion {\n      name\n    }\n    ... on EvalTask {\n      taskName: name\n    }\n    ... on Tensorboard {\n      displayName\n    }\n    ... on Service {\n      name\n    }\n  }\n}"): (typeof documents)["query NodeCard($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Model {\n      name\n      description\n    }\n    ... on ModelVersion {\n      name\n      formatType\n      model {\n        id\n        name\n      }\n    }\n    ... on Algorithm {\n      name\n      displayName\n    }\n    ... on AlgorithmVersion {\n      name\n      algorithm {\n        id\n      }\n    }\n    ... on EvalTask {\n      taskName: name\n      appName\n    }\n    ... on Tensorboard {\n      displayName\n      url\n    }\n    ... on Service {\n      name\n      status\n    }\n  }\n}\n\nquery NodeCards($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on Model {\n      name\n    }\n    ... on ModelVersion {\n      name\n    }\n    ... on Algorithm {\n      name\n    }\n    ... on AlgorithmVersion {\n      name\n    }\n    ... on EvalTask {\n      taskName: name\n    }\n    ... on Tensorboard {\n      displayName\n    }\n    ... on Service {\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TensorboardShareLink($id: ID!, $seconds: Int) {\n  tensorboard(id: $id) {\n    id\n    displayName\n    status\n    sharedUrl(expireTimeSeconds: $seconds)\n  }\n}"): (typeof documents)["query TensorboardShareLink($id: ID!, $seconds: Int) {\n  tensorboard(id: $id) {\n    id\n    displayName\n    status\n    sharedUrl(expireTimeSeconds: $seconds)\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription TensorboardStatus($id: ID!) {\n  tensorboardChanged(id: $id) {\n    id\n    displayName\n    status\n    reasonMessage\n    url\n  }\n}"): (typeof documents)["subscription TensorboardStatus($id: ID!) {\n  tensorboardChanged(id: $id) {\n    id\n    displayName\n    status\n    reasonMessage\n    url\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;