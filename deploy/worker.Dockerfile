# fanout-worker: the asynq worker driving headless Chromium.
# Build from the repository root:  docker build -f deploy/worker.Dockerfile -t fanout-worker .
# Run with a larger /dev/shm (compose: shm_size: 1gb; docker run --shm-size=1g).

FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags='-s -w' -o /out/fanout-worker ./worker

FROM debian:bookworm-slim
# chromium: the browser; fonts-noto-cjk: Chinese pages render (and are measured) correctly;
# tini: PID 1 that reaps Chromium's zombie processes and forwards SIGTERM
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-noto-cjk fonts-liberation ca-certificates tzdata tini \
 && rm -rf /var/lib/apt/lists/*
# same uid/gid and files path as the api image (shared `files` volume)
RUN groupadd --system --gid 10001 fanout \
 && useradd --system --uid 10001 --gid fanout --home-dir /home/fanout --create-home --shell /usr/sbin/nologin fanout \
 && mkdir -p /var/lib/fanout/files \
 && chown -R fanout:fanout /var/lib/fanout
COPY --from=build /out/fanout-worker /usr/local/bin/fanout-worker
USER fanout:fanout
WORKDIR /home/fanout
ENV CHROME_PATH=/usr/bin/chromium \
    FANOUT_DATA_DIR=/var/lib/fanout/files \
    FANOUT_LOG_FORMAT=json \
    HOME=/home/fanout
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/fanout-worker"]
