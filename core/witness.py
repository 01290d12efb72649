"""Witnesses of the audit chain, kept outside the database and signed with a key that is not in it.

Whoever can write to the database can rewrite an event and recompute every later hash, or delete
the last events; the chain alone then still looks intact. A witness is a JSON file in
`AUDIT_WITNESS_DIR` (a separate volume) holding the chain's head and every event hash since the
previous witness, signed with HMAC-SHA256 under `AUDIT_WITNESS_KEY`. `witness_verify` compares
the chain with every witness and names the first event that differs, a truncation, a witness file
that is missing (each witness is itself recorded in the chain) and a witness altered or signed
with another key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .audit import audit_record
from .enums import AuditEventType
from .models import AuditEvent

logger = logging.getLogger(__name__)


class WitnessNotConfigured(RuntimeError):
    pass


def _key() -> bytes:
    key = settings.AUDIT_WITNESS_KEY
    if not key:
        raise WitnessNotConfigured("AUDIT_WITNESS_KEY is not set")
    return key.encode()


def _canonical(body: dict) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _sign(body: dict) -> str:
    return hmac.new(_key(), _canonical(body), hashlib.sha256).hexdigest()


def _directory() -> Path:
    path = Path(settings.AUDIT_WITNESS_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def audit_head() -> tuple[int, str] | None:
    """(seq, hash) of the newest event, or None for an empty log."""
    return AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()


def _last_witnessed_seq(directory: Path) -> int:
    last = 0
    for path in directory.glob("witness-*.json"):
        try:
            last = max(last, int(json.loads(path.read_text())["body"]["seq"]))
        except (ValueError, KeyError, TypeError, OSError):
            continue  # an unreadable witness is reported by witness_verify, not here
    return last


def witness_write(*, reason: str = "daily") -> Path | None:
    """Write a signed witness of the chain's head; record it as an event. None when the log is empty."""
    directory = _directory()
    with transaction.atomic():
        head = audit_head()
        if head is None:
            return None
        seq, head_hash = head
        since = _last_witnessed_seq(directory)
        hashes = dict(AuditEvent.objects.filter(seq__gt=since, seq__lte=seq).order_by("seq").values_list("seq", "hash"))
        at = timezone.now()
        body = {
            "seq": seq,
            "hash": head_hash,
            "at": at.isoformat(),
            "reason": reason,
            "hashes": {str(k): v for k, v in hashes.items()},
        }
        document = {"body": body, "hmac": _sign(body)}
        name = f"witness-{at:%Y%m%dT%H%M%S%fZ}-{seq}.json"
        path = directory / name
        tmp = directory / f".{name}.tmp"
        tmp.write_text(json.dumps(document, ensure_ascii=False, indent=1))
        os.replace(tmp, path)
        audit_record(
            event=AuditEventType.AUDIT_WITNESSED,
            object_type="core.auditwitness",
            object_id=str(seq),
            payload={"file": name, "seq": seq, "hash": head_hash, "reason": reason},
        )
    if settings.AUDIT_WITNESS_EMAIL:
        from .mail import mail_queue  # noqa: PLC0415 -- mail imports the outbox, which imports tasks lazily

        mail_queue(
            template="audit_witness",
            to_email=settings.AUDIT_WITNESS_EMAIL,
            context={
                "seq": seq,
                "hash": head_hash,
                "at": body["at"],
                "reason": reason,
                "document": json.dumps(document),
            },
        )
    logger.info("Audit chain witnessed at event #%s (%s)", seq, path)
    return path


@dataclass(frozen=True)
class WitnessProblem:
    kind: str  # "forged", "unreadable", "missing", "rewritten", "truncated"
    message: str
    seq: int | None = None


@dataclass
class WitnessReport:
    witnesses: int
    problems: list[WitnessProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def witness_verify() -> WitnessReport:
    """Check every witness file against the chain. Problems are listed with the first event that differs."""
    directory = Path(settings.AUDIT_WITNESS_DIR)
    problems: list[WitnessProblem] = []
    witnessed: dict[int, tuple[str, str]] = {}  # seq → (hash, file)
    files = sorted(directory.glob("witness-*.json")) if directory.is_dir() else []
    for path in files:
        try:
            document = json.loads(path.read_text())
            body, signature = document["body"], document["hmac"]
            seq, head_hash = int(body["seq"]), body["hash"]
        except (ValueError, KeyError, TypeError, OSError) as exc:
            problems.append(WitnessProblem("unreadable", f"witness {path.name} cannot be read: {exc}"))
            continue
        if not hmac.compare_digest(_sign(body), str(signature)):
            problems.append(
                WitnessProblem(
                    "forged",
                    f"witness {path.name} does not match its signature: it was altered or signed with another key",
                )
            )
            continue
        for k, v in {**body.get("hashes", {}), str(seq): head_hash}.items():
            witnessed[int(k)] = (v, path.name)

    stored = dict(AuditEvent.objects.filter(seq__in=list(witnessed)).values_list("seq", "hash"))
    for seq in sorted(witnessed):
        expected, name = witnessed[seq]
        if seq not in stored:
            problems.append(
                WitnessProblem("truncated", f"event #{seq} witnessed in {name} is missing: the chain was cut", seq)
            )
            break
        if stored[seq] != expected:
            problems.append(
                WitnessProblem(
                    "rewritten",
                    f"event #{seq} differs from the witness {name}: the chain was rewritten from there",
                    seq,
                )
            )
            break

    present = {p.name for p in files}
    for payload in AuditEvent.objects.filter(event=AuditEventType.AUDIT_WITNESSED).values_list("payload", flat=True):
        if payload.get("file") not in present:
            problems.append(
                WitnessProblem(
                    "missing",
                    f"witness {payload.get('file')} (event #{payload.get('seq')}) is missing",
                    payload.get("seq"),
                )
            )
    return WitnessReport(witnesses=len(files), problems=problems)
