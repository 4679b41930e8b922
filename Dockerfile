# Hypertrophy: gunicorn + whitenoise on a slim Python image. Needs DATABASE_URL (PostgreSQL)
# and SECRET_KEY in production; see README.md for every setting.
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

RUN useradd --create-home --uid 10001 hypertrophy && chown -R hypertrophy /app
USER hypertrophy

ENV DEBUG=false PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, urllib.request as u; host = (os.environ.get('ALLOWED_HOSTS') or 'localhost').split(',')[0].strip(); u.urlopen(u.Request('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/health', headers={'Host': host}), timeout=4)" || exit 1

# Migrations and the catalog run at start; both are idempotent.
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py createcachetable && python manage.py load_catalog && exec gunicorn hypertrophy.wsgi --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --access-logfile - --forwarded-allow-ips='*'"]
