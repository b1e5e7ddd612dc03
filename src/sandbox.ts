import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';

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

/** One tab of GraphiQL's preloaded editor: an example operation and its variables (JSON). */
export interface ExampleTab {
  readonly query: string;
  readonly variables?: string;
}

/**
 * The Sandbox collection as GraphiQL tabs, one operation each (the run button then runs it
 * without asking which), each with the variables it declares; the welcome comment opens the first.
 */
export function exampleTabs(): ExampleTab[] {
  const operations = parse(SANDBOX_DOCUMENT).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operations.map((operation, index) => {
    const start = index === 0 ? 0 : operation.loc!.start;
    const query = `${SANDBOX_DOCUMENT.slice(start, operation.loc!.end)}\n`;
    const declared = new Set(operation.variableDefinitions?.map((v) => v.variable.name.value));
    const variables = Object.fromEntries(Object.entries(SANDBOX_VARIABLES).filter(([name]) => declared.has(name)));
    return Object.keys(variables).length ? { query, variables: JSON.stringify(variables, null, 2) } : { query };
  });
}

/**
 * Apollo Sandbox as the landing page of /graphql, opened with the example collection. Sandbox
 * loads from Apollo's CDN; offline, its page shows a fallback, to which this adds a link to the
 * gateway's own GraphiQL (`graphiqlPath`) when that is served.
 */
export function createSandboxLandingPage<TContext extends BaseContext>(options: { graphiqlPath: string | undefined }): ApolloServerPlugin<TContext> {
  const sandbox = ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false, document: SANDBOX_DOCUMENT, variables: SANDBOX_VARIABLES, footer: false });
  const { graphiqlPath } = options;
  if (!graphiqlPath) return sandbox;
  // The spread keeps Apollo's marker that this plugin replaces its implicit landing page.
  return {
    ...(sandbox as ApolloServerPlugin<TContext>),
    async serverWillStart(service) {
      const listener = await sandbox.serverWillStart?.(service);
      if (!listener?.renderLandingPage) return listener;
      return {
        ...listener,
        async renderLandingPage() {
          const page = await listener.renderLandingPage!();
          return { html: async () => linkGraphiql(typeof page.html === 'string' ? page.html : await page.html(), graphiqlPath) };
        },
      };
    },
  };
}

/**
 * Puts the GraphiQL link in Sandbox's offline fallback (or, should Apollo drop it, at the end of
 * the page). Sandbox's frame holder covers the whole page even while empty, so until Sandbox
 * fills it, it lets clicks through to the link (a style with the page's CSP nonce).
 */
function linkGraphiql(html: string, path: string): string {
  const link = `<p class="graphiql-link"><a href="${path}">Open GraphiQL</a>: this gateway serves it, with the same example operations, and it works offline.</p>`;
  const nonce = /nonce="?([0-9a-f]+)/.exec(html)?.[1];
  const style = nonce ? `<style nonce="${nonce}">#embeddableSandbox:empty { pointer-events: none; }</style>` : '';
  const fallback = /<div class="fallback">[\s\S]*?(?=<\/div>)/;
  return fallback.test(html) ? html.replace(fallback, (content) => `${content}  ${link}\n${style}`) : html.replace('</body>', `${link}</body>`);
}
