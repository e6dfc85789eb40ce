# Production image: gunicorn behind a TLS-terminating proxy.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_DEBUG=0 \
    NEWSROOM_DATA_DIR=/app/data

WORKDIR /app

COPY . .
# Editable, so BASE_DIR is /app and templates/, static/ and corpus/ sit beside the code.
RUN pip install -e .
# collectstatic needs a key to import settings; this one is thrown away with the layer.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
 && useradd --create-home --uid 10001 newsroom \
 && mkdir -p /app/data && chown newsroom:newsroom /app/data

USER newsroom
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"

CMD ["gunicorn", "newsroom.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
