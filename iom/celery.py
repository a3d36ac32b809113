"""The Celery application. Workers: ``celery -A iom worker``; schedule: ``celery -A iom beat``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iom.settings")

app = Celery("iom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
