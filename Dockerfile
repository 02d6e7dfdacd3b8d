# The envbot bot. Built by `cdk deploy` (infra/lib/bot-image.ts) or by hand:
#   docker build --platform linux/amd64 -t envbot .
FROM node:20-slim

ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app

# Dependencies first, so code changes reuse this layer. tsx is a runtime dependency: the bot runs
# its TypeScript directly, there is no build step.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY app ./app
COPY infra/docker/entrypoint.sh ./infra/docker/entrypoint.sh

# The node image's unprivileged user; the ECS task also mounts the root filesystem read-only.
USER node
EXPOSE 3000
# No HEALTHCHECK: the ALB target group checks GET /healthz.
ENTRYPOINT ["/bin/sh", "/app/infra/docker/entrypoint.sh"]
CMD ["node", "--import", "tsx", "app/src/main.ts"]
