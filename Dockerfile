# syntax=docker/dockerfile:1
# Build stage: install everything, compile TypeScript.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the package's own `prepare` would compile before src/ is copied; the build
# runs below, once the sources are in.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY schema ./schema
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies, compiled code and the schema only.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schema ./schema
# V8's heap sized as deploy/kubernetes/deployment.yaml sizes it under its 512Mi limit (set
# after `npm ci`, which it would otherwise limit too). Node derives the heap from the memory it
# sees: a semi-space of 16 MB and an old-generation limit of several GB on a large host, where
# V8 lets promoted garbage reach about four times the live heap (about 35 MB here) before a
# full collection, 250-270 MB RSS under load in `npm run bench`; and a semi-space of 1 MB in a
# 512Mi container, where nearly everything an operation in flight holds is promoted. A limit
# under 2 GB makes V8 grow the old generation by a smaller factor, and 32 MB semi-spaces hold
# what 20 concurrent operations have in flight: 185-210 MB RSS under the same load on Node 20,
# 237-243 MB on this image's Node 24 (README, Benchmark), and a quarter to two-fifths less CPU for
# 20 models with their versions than 16 MB. Resize both with the memory limit.
ENV NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=32"
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
