# demozone — the web, worker and beat image (docker-compose.yml runs all three from it).
# Everything the app needs is in the image: the locked Python packages, the vendored front-end assets
# (static/vendor, collected here), and a CJK font for the PDFs WeasyPrint renders. Nothing is fetched at run time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MEDIA_ROOT=/data/media

# fonts-noto-cjk: Chinese text in generated PDFs; pango/harfbuzz: the libraries WeasyPrint renders with.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
# Static files are collected into the image (whitenoise serves them); the key is a placeholder for this step only.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input -v0

# Run as an unprivileged user; uploaded documents live on the media volume, which this user owns.
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin demozone \
 && mkdir -p /data/media \
 && chown -R demozone:demozone /data/media
USER demozone

EXPOSE 8000
# gunicorn.conf.py: one worker per core, two threads each, the app preloaded (README, Speed); WEB_CONCURRENCY overrides.
CMD ["gunicorn", "demozone.wsgi:application", "-c", "gunicorn.conf.py", "--bind", "0.0.0.0:8000"]
