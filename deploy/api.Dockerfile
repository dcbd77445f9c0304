# fanout-api: the gin HTTP API (also `fanout-api migrate`, `fanout-api token create`).
# Build from the repository root:  docker build -f deploy/api.Dockerfile -t fanout-api .

FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags='-s -w' -o /out/fanout-api ./api

FROM debian:bookworm-slim
# ca-certificates: outbound TLS; curl: the container healthcheck; tzdata: schedules in local zones
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl tzdata \
 && rm -rf /var/lib/apt/lists/*
# uid/gid 10001 and /var/lib/fanout/files are the same in the worker image:
# both mount one `files` volume there
RUN groupadd --system --gid 10001 fanout \
 && useradd --system --uid 10001 --gid fanout --home-dir /home/fanout --create-home --shell /usr/sbin/nologin fanout \
 && mkdir -p /var/lib/fanout/files \
 && chown -R fanout:fanout /var/lib/fanout
COPY --from=build /out/fanout-api /usr/local/bin/fanout-api
USER fanout:fanout
WORKDIR /home/fanout
ENV FANOUT_HTTP_ADDR=:8080 \
    FANOUT_DATA_DIR=/var/lib/fanout/files \
    FANOUT_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/usr/local/bin/fanout-api"]
CMD ["serve"]
