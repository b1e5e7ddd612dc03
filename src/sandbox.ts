/** The operation Apollo Sandbox opens with in development: it works on the demo data. */
export const SANDBOX_DOCUMENT = `# Welcome to pai-graph. Press the run button to list models from PAI's model registry.
query ModelList($first: Int, $after: String, $filter: ModelFilter) {
  models(first: $first, after: $after, filter: $filter, orderBy: { field: CREATED_AT, direction: DESC }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      name
      domain
      task
      labels { key value }
      latestVersion { name formatType frameworkType approvalStatus createdAt }
    }
  }
}
`;

export const SANDBOX_VARIABLES = { first: 5, filter: { domain: 'nlp' } };
