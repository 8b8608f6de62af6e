# Global build arguments: defaults are substituted, a missing default stays ${NAME}.
ARG GO_VERSION=1.26
ARG BASE=debian:${DEBIAN:-bookworm}-slim
ARG REGISTRY

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS Build
RUN go build -o /app ./cmd/app

FROM ${REGISTRY}/tools:1 AS tools
FROM scratch AS empty
FROM ${BASE} AS runtime
EXPOSE 8080/tcp 9000-9100/udp 20-30
ENTRYPOINT ["/app"]
CMD ["serve"]

FROM build AS test
RUN ["go", "test", "./..."]

FROM ghcr.io/acme/base:1.0@sha256:0000000000000000000000000000000000000000000000000000000000000001 AS other
FROM runtime
COPY --from=BUILD /app /app
EXPOSE 22
ARG SSH=22
ARG REGISTRY
ENV ADMIN_PORT=2${SSH}
EXPOSE $SSH ${UNKNOWN} ${REGISTRY} "${ADMIN_PORT}/udp"
