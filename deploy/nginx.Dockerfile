# nginx from Debian's package, for deploy/compose.yaml (its configuration is mounted from
# deploy/nginx-compose.conf). Not built on the machine these files were written on.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/*
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
