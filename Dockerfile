# The bank sandbox in a container: `docker run -p 8000:8000 -v sandbox-data:/data bank-sandbox`.
ARG BASE_IMAGE=python:3.12-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    SANDBOX_DATA_DIR=/data

WORKDIR /src
COPY pyproject.toml README.md ./
COPY sandbox ./sandbox
COPY specs ./specs
COPY fixtures ./fixtures
RUN pip install . && rm -rf /src

RUN useradd --create-home --uid 10001 sandbox && mkdir -p /data && chown sandbox /data
USER sandbox
WORKDIR /home/sandbox
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"

CMD ["bank-sandbox", "serve", "--host", "0.0.0.0", "--port", "8000"]
