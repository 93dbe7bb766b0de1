# syntax=docker/dockerfile:1

# Build stage: full dependencies, compile TypeScript to dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ormconfig.ts ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies and the compiled app only, as a non-root user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=8000 \
    DATA_DIR=/var/lib/deskbridge
WORKDIR /app
RUN groupadd --system deskbridge && useradd --system --gid deskbridge --home /app deskbridge \
 && mkdir -p /var/lib/deskbridge && chown deskbridge:deskbridge /var/lib/deskbridge
COPY --from=build --chown=deskbridge:deskbridge /app/package.json /app/package-lock.json ./
COPY --from=build --chown=deskbridge:deskbridge /app/node_modules ./node_modules
COPY --from=build --chown=deskbridge:deskbridge /app/dist ./dist
USER deskbridge
EXPOSE 8000
VOLUME ["/var/lib/deskbridge"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# Apply pending migrations (under an advisory lock, so replicas may start together), then serve.
CMD ["sh", "-c", "node dist/src/cli/main.js migration:run && exec node dist/src/main.js"]
