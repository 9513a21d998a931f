# One image for every volstream app; docker-compose.yml picks the app with `volstream run APP`.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY libs ./libs
COPY apps ./apps
COPY bin ./bin
RUN npm ci --omit=dev --no-audit --no-fund
ENV NODE_ENV=production
ENTRYPOINT ["node", "bin/volstream.mjs"]
