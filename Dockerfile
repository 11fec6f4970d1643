# The stance HTTP service, served by gunicorn (settings: STANCE_* variables).
#   docker build -t stance . && docker run -p 8000:8000 stance
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY pyproject.toml README.md ./
COPY stance ./stance
# Editable, so that the package's root is /app: models/default, seeds/ and
# plugins/ are found there, and the default model is built on first start.
RUN pip install -e ".[serve]"

COPY seeds ./seeds
COPY heldout ./heldout
COPY plugins ./plugins
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin stance \
    && mkdir -p /app/models \
    && chown -R stance:stance /app/models

ENV STANCE_BIND=0.0.0.0:8000 \
    STANCE_WORKERS=2 \
    STANCE_PLUGINS_DIR=/app/plugins \
    STANCE_LOG_FORMAT=json

USER stance
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["gunicorn", "--worker-tmp-dir", "/dev/shm", "-c", "python:stance.service.gunicorn_conf", "stance.service:create_app()"]
