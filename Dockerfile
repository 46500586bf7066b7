# imagine-credits: one image for every role (bot, worker, all-in-one), chosen by the command.
# Installs exactly the lock file (npm ci), compiles to dist/, and runs node on it. The image holds
# the production dependencies, dist/, the migrations (prisma/) and the price card.

# Production dependencies only, from the lock file. Scripts off: the project's postinstall
# (generate the Prisma client, then build) needs the sources, which the next stage adds.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# The build: what postinstall does (the toolchain it needs is in the production dependencies).
FROM deps AS build
COPY . .
RUN npm run db:generate && npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# The playground (npm start without DISCORD_TOKEN) listens on 127.0.0.1 only, which nothing outside
# a container reaches: in the image, a start without a token runs the worker side, as it always did.
ENV PLAYGROUND=off
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json price-card.yaml ./
COPY prisma ./prisma
# 8080: HTTP_PORT (private: health details, metrics, dashboard); 8081: PUBLIC_HTTP_PORT (webhooks).
EXPOSE 8080 8081
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# npm run db:migrate, then npm start; node itself is the container's process, so SIGTERM reaches it
# and it stops cleanly (npm run start:worker / commands:deploy work too: the scripts are in the image).
CMD ["sh", "-c", "node dist/src/bin/migrate.js deploy && exec node --max-semi-space-size=2 dist/src/bin/start.js"]
