# The stance HTTP service, served by gunicorn (settings: STANCE_* variables).
#   docker build -t stance . && docker run -p 8000:8000 stance
# The default model is built into the image (read-only, owned by root): the
# container starts serving in seconds and never writes to a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# stance/resources/*.jsonl link to seeds/ and heldout/: copy them first, then
# install the package (not editable) with its data.
COPY pyproject.toml README.md ./
COPY seeds ./seeds
COPY heldout ./heldout
COPY stance ./stance
RUN pip install ".[serve]"

# Build the default model once, at image build time, without cross-validation
# (its card takes the committed evaluation report's figures).
ENV STANCE_HOME=/opt/stance \
    STANCE_MODEL_DIR=/opt/stance/models/default \
    STANCE_PLUGINS_DIR=""
RUN stance train --output /opt/stance/models/default \
    && stance classify seeds/003_26dae961d9fa5e46.txt > /dev/null

COPY plugins ./plugins
RUN useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin stance

# The user has no home directory and the root file system may be read-only:
# the embedding cache lives in /tmp (a tmpfs in docker-compose.yml).
ENV STANCE_BIND=0.0.0.0:8000 \
    STANCE_CACHE_DIR=/tmp/stance-cache \
    STANCE_WORKERS=2 \
    STANCE_PLUGINS_DIR=/app/plugins \
    STANCE_LOG_FORMAT=json

USER stance
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"]

CMD ["gunicorn", "--worker-tmp-dir", "/dev/shm", "-c", "python:stance.service.gunicorn_conf", "stance.service:create_app()"]
