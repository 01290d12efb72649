"""The Celery task class of the project: a task is system work, so it runs across programmes.

Tasks take keyword ids and call a service (which checks what it must); without a request there is no
person whose programmes could bound them. Set as the app's `task_cls` in config/celery.py, so every
`shared_task` gets it, in the worker and in-process (eager mode, a broker that is away) alike.
"""

from celery import Task

from .scopes import every_programme


class ScopedTask(Task):
    def __call__(self, *args, **kwargs):
        with every_programme():
            return super().__call__(*args, **kwargs)
