"""Healthcheck of Celery beat: its schedule file was written recently (beat rewrites it every few minutes).

Usage: python scripts/beat_healthcheck.py /tmp/celerybeat-schedule [max-age-seconds]"""

import glob
import os
import sys
import time

path = sys.argv[1]
max_age = float(sys.argv[2]) if len(sys.argv) > 2 else 600
# dbm back-ends name the file differently (schedule, schedule.db, schedule.dat ...).
mtimes = [os.path.getmtime(p) for p in glob.glob(glob.escape(path) + "*")]
sys.exit(0 if mtimes and time.time() - max(mtimes) < max_age else 1)
