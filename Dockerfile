# Production image: gunicorn serving Django, the same image runs the Celery worker and beat.
FROM node:20-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock && pip install "django-storages[s3]>=1.14"
COPY --from=frontend /build/node_modules/nhsuk-frontend/dist /app/node_modules/nhsuk-frontend/dist
COPY . .
RUN SECRET_KEY=build DATABASE_URL=postgresql://build/build REDIS_URL=redis://build:6379/0 \
    python manage.py collectstatic --no-input \
 && useradd --system --uid 10001 --home /app portal \
 && mkdir -p /app/var && chown portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
