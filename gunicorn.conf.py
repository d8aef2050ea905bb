"""gunicorn settings for a school server: `make serve`, or `gunicorn -c gunicorn.conf.py config.wsgi`.

Override any of these with the environment variables below (see docs/deploy.md).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Rendering a plan PDF is CPU-bound, so one process per core (at least two) does the work; a few threads per
# process keep page views flowing while a PDF renders.
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
# A worker takes only as many connections as it has threads, so a burst (a class pressing "Download my plan"
# together) is shared between workers instead of queueing behind one.
worker_connections = threads
# So no idle keep-alive connections are held either: nginx in front talks to gunicorn one request at a time.
keepalive = 0
# A large plan PDF takes about a second; a class of 30 downloading at once queues for several. Allow for that.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Recycle workers now and then to cap memory (WeasyPrint and fontconfig caches grow slowly).
# (Measured: a worker peaks near 110 MB under a school's burst and stays there, so recycling can be rare.)
# Rare indeed: a live lesson's polls count too, about 250 a second for each of two workers with a school's
# 1,000 students, and a worker that restarts leaves its share to the other while it starts (a second or two):
# at 20,000 that was every 80 s, and the screens that polled then waited up to 1.6 s (bench/RESULTS.md).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 200000))
max_requests_jitter = 20000
# Never log a student's details: no IP address or user agent in the access log, and no query strings.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# ... nor students' answered polls of a live lesson, hundreds a second: config/gunicorn_logging.py.
logger_class = "config.gunicorn_logging.AccessLogWithoutPolls"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def post_worker_init(worker):
    """Load the PDF fonts and every PDF's stylesheets (plan, results report, parents' handout: each app registers
    its own) before the first download rather than during it."""
    from pdf.engine import PdfUnavailable, prepare

    try:
        prepare()
    except PdfUnavailable:
        worker.log.warning("WeasyPrint cannot load: PDFs are unavailable (see manage.py check).")
