/**
 * The operations Apollo Sandbox opens with in development, a small collection that works on the
 * demo data: the model list, deploying a model version to EAS, and polling the new service.
 */
export const SANDBOX_DOCUMENT = `# Welcome to pai-graph. Put the cursor in an operation and press run: ModelList lists models
# from PAI's model registry; DeployModelVersion deploys one as an EAS service; ServiceStatus
# reads it once, and ServiceChanged pushes each status until RUNNING (deployment is
# asynchronous; run it right after the deploy).
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

mutation DeployModelVersion {
  deployModelVersion(input: { modelId: "model-a0ty3tfe9sci9aiytd", versionName: "1.0.0", serviceName: "qwen_sandbox_demo", instanceCount: 1, gpu: 1 }) {
    service { name status internetEndpoint totalInstances config labels { key value } }
  }
}

query ServiceStatus {
  service(name: "qwen_sandbox_demo") { name status reason message runningInstances pendingInstances internetEndpoint hasAccessToken }
}

subscription ServiceChanged {
  serviceChanged(name: "qwen_sandbox_demo") { name status reason runningInstances pendingInstances }
}
`;

export const SANDBOX_VARIABLES = { first: 5, filter: { domain: 'nlp' } };
