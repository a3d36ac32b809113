# The production image: one image for the web, worker and beat processes
# (see docker-compose.yml for how they are run).

# --- Front-end assets -----------------------------------------------------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/ static/
RUN npm run build

# --- Application ----------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    STATIC_ROOT=/app/staticfiles

# Pango (and its fonts) is what WeasyPrint renders the PDF documents with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system iom && useradd --system --gid iom --home-dir /app --shell /usr/sbin/nologin iom

WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when the lock file changes. Every
# package is pinned with its hashes (bin/lock writes the file), so each build installs exactly
# the versions that were tested, and a file that differs from the one locked is refused.
# The application itself is not installed: it runs from /app (PYTHONPATH), next to its
# templates and static files.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .
COPY --from=assets /src/static/build/ static/build/

# collectstatic reads the production settings, which refuse to load without a secret key:
# this one exists only during the build and is never used to sign anything.
RUN IOM_ENV=production \
    SECRET_KEY=collectstatic-at-build-time-only-never-used-to-sign-anything-0000 \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/var/media \
    && chown -R iom:iom /app/var

USER iom
EXPOSE 8000
# docker-compose.yml gives the web service its own command; this is the same, for `docker run`.
CMD ["gunicorn", "iom.wsgi:application", "--bind=0.0.0.0:8000", "--timeout=60", \
     "--graceful-timeout=30", "--workers=3", "--threads=4"]
