# imagine-credits: one image for every role (bot, worker, all-in-one), chosen by the command.
# Follows the README's steps: install (generates the Prisma client), then migrate and start.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY prisma ./prisma
RUN npm install --no-audit --no-fund
COPY . .
# 8080: HTTP_PORT (private: health details, metrics, dashboard); 8081: PUBLIC_HTTP_PORT (webhooks).
EXPOSE 8080 8081
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["sh", "-c", "npm run db:migrate && npm start"]
