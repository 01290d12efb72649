"""Development mailbox: `make run` keeps sent e-mails as files that /dev/mail/ lists (DEBUG only).

The web server and a Celery worker are separate processes, so messages go to a folder both see
(DEV_MAIL_DIR), one JSON file each; the terminal gets one plain line with the link."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

KEEP = 200  # the newest messages kept; older files are removed


@dataclass(frozen=True)
class DevMail:
    id: str
    sent_at: dt.datetime
    sender: str
    to: list[str]
    subject: str
    body: str


def _folder() -> Path:
    return Path(settings.DEV_MAIL_DIR)


class DevMailboxBackend(BaseEmailBackend):
    """Store each message for the /dev/mail/ page and print one line with its link."""

    def send_messages(self, email_messages) -> int:
        folder = _folder()
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            now = dt.datetime.now(dt.UTC)
            mail_id = f"{now:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
            record = {
                "id": mail_id,
                "sent_at": now.isoformat(),
                "sender": message.from_email,
                "to": list(message.to) + list(message.cc) + list(message.bcc),
                "subject": str(message.subject),
                "body": message.body,
            }
            # Written whole, then renamed: the page never reads half a message.
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(record, f, ensure_ascii=False)
            os.replace(tmp, folder / f"{mail_id}.json")
            link = f"{settings.SITE_URL}/dev/mail/{mail_id}/"
            print(f"E-mail to {', '.join(record['to'])}: {record['subject']} -> {link}", file=sys.stderr, flush=True)
            sent += 1
        _prune(folder)
        return sent


def _prune(folder: Path) -> None:
    for old in sorted(folder.glob("*.json"), reverse=True)[KEEP:]:
        old.unlink(missing_ok=True)


def _load(path: Path) -> DevMail:
    data = json.loads(path.read_text(encoding="utf-8"))
    return DevMail(
        id=data["id"],
        sent_at=dt.datetime.fromisoformat(data["sent_at"]),
        sender=data["sender"],
        to=data["to"],
        subject=data["subject"],
        body=data["body"],
    )


def dev_mails() -> list[DevMail]:
    """The stored messages, newest first."""
    folder = _folder()
    if not folder.is_dir():
        return []
    return [_load(p) for p in sorted(folder.glob("*.json"), reverse=True)]


def dev_mail(mail_id: str) -> DevMail | None:
    if not mail_id.replace("-", "").isalnum():
        return None
    path = _folder() / f"{mail_id}.json"
    return _load(path) if path.is_file() else None
