# syntax=docker/dockerfile:1
# Hypertrophy: gunicorn + whitenoise on a slim Python image. Needs DATABASE_URL (PostgreSQL)
# and SECRET_KEY in production; see README.md for every setting.
#
# One image, two processes against the same database:
#   docker run IMAGE          the web server (the default command, `hypertrophy web`)
#   docker run IMAGE worker   the background worker of the coach's weekly reports
FROM python:3.12-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=hypertrophy.settings

WORKDIR /app
COPY pyproject.toml README.md ./
COPY hypertrophy ./hypertrophy
COPY events ./events
COPY workouts ./workouts
COPY measurements ./measurements
COPY coaching ./coaching
COPY templates ./templates
COPY static ./static
COPY manage.py ./
RUN pip install .

# Static files are collected (and compressed, with hashed names) at build time.
RUN DEBUG=false SECRET_KEY=build-only-not-secret ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput

# The two processes. web: migrations, cache table and catalog (all idempotent), then gunicorn
# with threads (the coach streams its answers) and a timeout above COACH_TIMEOUT_SECONDS, which
# bounds a whole answer. worker: waits until the web has migrated, enqueues the daily report run
# (idempotent: "already scheduled" on every restart), then processes tasks.
COPY --chmod=755 <<'EOF' /usr/local/bin/hypertrophy
#!/bin/sh
set -e
mode="${1:-web}"
{ echo "$mode" > /tmp/hypertrophy-mode; } 2>/dev/null || true  # read by the HEALTHCHECK
case "$mode" in
  web)
    python manage.py migrate --noinput
    python manage.py createcachetable
    python manage.py load_catalog
    timeout="${GUNICORN_TIMEOUT:-$(python -c "import math, os; print(math.ceil(float(os.environ.get('COACH_TIMEOUT_SECONDS') or 20)) + 30)")}"
    exec gunicorn hypertrophy.wsgi --bind "0.0.0.0:${PORT}" --worker-class gthread --workers "${WEB_CONCURRENCY:-3}" --threads "${GUNICORN_THREADS:-8}" --timeout "$timeout" --access-logfile - --forwarded-allow-ips='*'
    ;;
  worker)
    until python manage.py migrate --check >/dev/null 2>&1; do echo "Waiting for the web process's migrations"; sleep 5; done
    python manage.py generate_weekly_reports --schedule
    exec python manage.py db_worker
    ;;
  *)
    exec "$@"
    ;;
esac
EOF

RUN useradd --create-home --uid 10001 hypertrophy && mkdir -p /data/photos && chown -R hypertrophy /app /data
USER hypertrophy

# Progress photos outlive the container: mount a volume here (or set a "photos" storage backend).
ENV DEBUG=false PORT=8000 PHOTOS_ROOT=/data/photos
VOLUME ["/data/photos"]
EXPOSE 8000
# The worker serves no HTTP: it counts as healthy while it runs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD [ "$(cat /tmp/hypertrophy-mode 2>/dev/null)" = worker ] || python -c "import os, urllib.request as u; host = (os.environ.get('ALLOWED_HOSTS') or 'localhost').split(',')[0].strip(); u.urlopen(u.Request('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/health', headers={'Host': host}), timeout=4)" || exit 1

ENTRYPOINT ["hypertrophy"]
CMD ["web"]
