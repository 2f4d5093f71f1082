# The bank sandbox in a container: `docker run -p 8000:8000 -v sandbox-data:/data bank-sandbox`.
# The base image is a build argument so machines that reach no image registry can build on a local
# stand-in: `docker build --build-arg BASE_IMAGE=local/python-slim:3.11 -t bank-sandbox .`
ARG BASE_IMAGE=python:3.12-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SANDBOX_DATA_DIR=/data \
    SANDBOX_HOST=0.0.0.0 \
    SANDBOX_PORT=8000

# A regular (non-editable) install: specs/ and fixtures/ travel inside the wheel, so the source
# tree is not needed at run time and is removed.
WORKDIR /src
COPY pyproject.toml README.md ./
COPY sandbox ./sandbox
COPY specs ./specs
COPY fixtures ./fixtures
RUN pip install --no-cache-dir . && rm -rf /src

# Not root: the server only needs to write its data directory, which is a volume (an emptyDir on
# Kubernetes, where the root filesystem may be read-only: deploy/kubernetes). The user is named by its
# number, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
RUN groupadd --gid 10001 sandbox && useradd --create-home --uid 10001 --gid 10001 sandbox \
    && mkdir -p /data && chown sandbox:sandbox /data
USER 10001:10001
WORKDIR /home/sandbox
VOLUME ["/data"]
EXPOSE 8000

# Slim images have no curl: ask Python, on the port the server listens on (SANDBOX_PORT).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD python -c "import os, sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('SANDBOX_PORT', '8000'), timeout=2).status != 200)"

# Host and port come from SANDBOX_HOST and SANDBOX_PORT: `-e SANDBOX_PORT=9000 -p 9000:9000` moves the
# server, its banner and the URLs on team sheets together.
CMD ["bank-sandbox", "serve"]
