"""Writes for registration, enterprise profiles and membership. Each checks, writes, audits, then mails."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import ApplicationStatus
from awards.models import Application
from core import ratelimit
from core.audit import audit_record
from core.enums import AuditEventType
from core.errors import Conflict, NotAllowed
from core.mail import mail_queue
from core.models import User
from core.rules import allowed, require
from core.scopes import every_programme

from .enums import MemberRole, NameChangeStatus
from .models import Enterprise, EnterpriseMembership, Invitation, NameChangeRequest
from .selectors import (
    enterprise_identity_locked,
    enterprise_owner_emails,
    mask_email,
    name_change_pending,
    office_recipients_for,
)
from .tokens import email_verification_token, email_verification_user
from .validators import normalize_credit_code, validate_credit_code

REGISTRATION_WINDOW = 3600  # seconds

# Profile fields the owner keeps up to date; the credit code is fixed once registered (a change of it,
# like a change of name while an application is past draft, is a NameChangeRequest).
IDENTITY_FIELDS = ("name_zh", "name_en", "credit_code")
PROFILE_FIELDS = (
    "name_zh",
    "name_en",
    "district",
    "industry",
    "founded_on",
    "employees",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def _local(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


# --- People ---------------------------------------------------------------------------------------


def user_register(
    *,
    email: str,
    full_name: str,
    password: str,
    preferred_language: str,
    invitation: Invitation | None = None,
) -> User | None:
    """Create an account. Arriving through an invitation sent to this address proves the address:
    the account is verified and joins the enterprise at once; otherwise a verification link is sent.

    An address that already has an account gets an e-mail saying so (with links to log in and to reset
    the password) and None is returned: the page answers the same either way, so the form cannot be
    used to find out who has an account."""
    email = email.strip().lower()
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            make_password(password)  # the same hashing work as a new account: the time tells nothing either
            mail_queue(
                template="account_exists",
                to_user=existing,
                context={
                    "login_link": settings.SITE_URL + reverse("login"),
                    "reset_link": settings.SITE_URL + reverse("password_reset"),
                },
            )
            audit_record(event=AuditEventType.USER_REGISTER_EXISTING, obj=existing, by=None)
            return None
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name.strip(), preferred_language=preferred_language
        )
        audit_record(event=AuditEventType.USER_REGISTERED, obj=user, by=user)
        if invitation is not None and invitation.email.lower() == email:
            invitation_accept(invitation=invitation, user=user)
        else:
            email_verification_send(user=user)
    return user


def registration_throttled(*, ip: str | None) -> bool:
    """Count a registration attempt from the web; True once the address made more than
    REGISTRATION_RATE_LIMIT in the hour. Every attempt counts, valid or not: each one may send an
    e-mail, and each tells whether an address has an account."""
    return ratelimit.exceeded("register", ip, limit=settings.REGISTRATION_RATE_LIMIT, window=REGISTRATION_WINDOW)


def email_verification_send(*, user: User) -> None:
    """Queue the e-mail with the verification link (after the surrounding transaction commits)."""
    if user.email_verified:
        raise NotAllowed(_("Your e-mail address is already verified."), code="already_verified")
    link = settings.SITE_URL + reverse("enterprises:verify_email", args=[email_verification_token(user)])
    hours = settings.EMAIL_VERIFICATION_MAX_AGE // 3600
    mail_queue(template="verify_email", to_user=user, context={"link": link, "hours": hours})


def user_verify_email(*, token: str) -> User:
    """Mark the address of the token's user verified. Harmless when called twice."""
    try:
        user = email_verification_user(token)
    except signing.SignatureExpired:
        raise NotAllowed(
            _("This verification link has expired. Log in and ask for a new one."), code="expired"
        ) from None
    except signing.BadSignature:
        raise NotAllowed(
            _("This verification link is not valid. Please use the latest link we sent you."), code="invalid"
        ) from None
    with transaction.atomic():
        if User.objects.filter(pk=user.pk, email_verified=False).update(email_verified=True):
            audit_record(event=AuditEventType.USER_EMAIL_VERIFIED, obj=user, by=user)
    user.refresh_from_db()
    return user


# --- Enterprise profile ---------------------------------------------------------------------------


def enterprise_register(*, by: User, credit_code: str, **profile: Any) -> Enterprise:
    """Create an enterprise profile; the person who registers it becomes its owner."""
    if not by.email_verified:
        raise NotAllowed(_("Please verify your e-mail address first."), code="unverified")
    require("enterprises.register_enterprise", by, None, _("You may not register an enterprise."))
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    try:
        with transaction.atomic():
            enterprise = Enterprise.objects.create(credit_code=credit_code.strip().upper(), **profile)
            EnterpriseMembership.objects.create(enterprise=enterprise, user=by, role=MemberRole.OWNER)
            audit_record(
                event=AuditEventType.ENTERPRISE_REGISTERED,
                obj=enterprise,
                by=by,
                payload={"credit_code": enterprise.credit_code},
            )
    except IntegrityError:
        raise Conflict(duplicate_code_message(credit_code), code="duplicate") from None
    return enterprise


def duplicate_code_message(credit_code: str) -> str:
    owners = enterprise_owner_emails(credit_code.strip().upper())
    return _(
        "An enterprise with this credit code is already registered. Please ask its owner (%(owner)s) to invite you."
    ) % {"owner": ", ".join(mask_email(e) for e in owners) or _("the award office")}


def enterprise_update(*, enterprise: Enterprise, by: User, change_reason: str = "", **profile: Any) -> Enterprise:
    """Change the profile; only an owner may. The audit event lists what changed.

    While the enterprise has an application past draft, a change of its names does not happen here:
    it becomes a name change request for the award office (the other fields are saved at once)."""
    require("enterprises.edit_profile", by, enterprise, _("Only the enterprise's owner may change its profile."))
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    current = Enterprise.objects.get(pk=enterprise.pk)
    changed = {
        name: [str(getattr(current, name)), str(value)]
        for name, value in profile.items()
        if getattr(current, name) != value
    }
    if not changed:
        return current
    with transaction.atomic():
        renamed = {name: profile[name] for name in changed if name in IDENTITY_FIELDS}
        if renamed and enterprise_identity_locked(current):
            name_change_request(
                enterprise=current,
                by=by,
                name_zh=renamed.get("name_zh", current.name_zh),
                name_en=renamed.get("name_en", current.name_en),
                credit_code=current.credit_code,
                reason=change_reason,
            )
            for name in renamed:
                del changed[name]
                del profile[name]
            if not changed:
                return current
        for name, value in profile.items():
            setattr(current, name, value)
        current.save(update_fields=[*profile.keys(), "updated_at"])
        audit_record(event=AuditEventType.ENTERPRISE_UPDATED, obj=current, by=by, payload={"changed": changed})
    return current


# --- Changes of name or credit code --------------------------------------------------------------


def name_change_request(
    *, enterprise: Enterprise, by: User, name_zh: str, name_en: str, credit_code: str, reason: str = ""
) -> NameChangeRequest:
    """Ask the award office to change the enterprise's names or credit code (the owner only).

    One request waits at a time. The office is e-mailed; nothing changes until it approves."""
    require("enterprises.edit_profile", by, enterprise, _("Only the enterprise's owner may ask for a change of name."))
    name_zh, name_en = (name_zh or "").strip(), (name_en or "").strip()
    credit_code = normalize_credit_code(credit_code)
    validate_credit_code(credit_code)
    if not name_zh and not name_en:
        raise NotAllowed(_("Please give the enterprise's name."), code="name_required")
    with transaction.atomic():
        current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if (name_zh, name_en, credit_code) == (current.name_zh, current.name_en, current.credit_code):
            raise NotAllowed(_("The names and the credit code are the same as now."), code="unchanged")
        if credit_code != current.credit_code and Enterprise.objects.filter(credit_code=credit_code).exists():
            raise Conflict(_("An enterprise with this credit code is already registered."), code="duplicate")
        if name_change_pending(current) is not None:
            raise Conflict(
                _("A change request is already waiting for the award office. Please wait for its decision."),
                code="pending",
            )
        change = NameChangeRequest.objects.create(
            enterprise=current,
            old_name_zh=current.name_zh,
            old_name_en=current.name_en,
            old_credit_code=current.credit_code,
            new_name_zh=name_zh,
            new_name_en=name_en,
            new_credit_code=credit_code,
            reason=(reason or "").strip(),
            requested_by=by,
        )
        audit_record(
            event=AuditEventType.NAME_CHANGE_REQUESTED,
            obj=current,
            by=by,
            payload={"request": change.pk, **_change_payload(change)},
        )
        context = _change_context(change)
        for user in office_recipients_for(current):
            mail_queue(template="name_change_requested", to_user=user, context=context)
    return change


def name_change_decide(
    *, change_request: NameChangeRequest, by: User, approve: bool, reason: str = ""
) -> NameChangeRequest:
    """The award office approves or refuses a change request; a refusal needs a reason.

    Approval changes the profile and the names of record of every application past draft (the
    names public pages, minutes and certificates print), and re-issues the enterprise's
    certificates. Of two decisions at once exactly one wins."""
    require(
        "enterprises.decide_name_change", by, change_request, _("Only the award office may decide on changes of name.")
    )
    reason = (reason or "").strip()
    if not approve and not reason:
        raise NotAllowed(_("Please give the reason for the refusal."), code="reason_required")
    now = timezone.now()
    status = NameChangeStatus.APPROVED if approve else NameChangeStatus.REFUSED
    try:
        with transaction.atomic():
            decided = NameChangeRequest.objects.filter(pk=change_request.pk, status=NameChangeStatus.PENDING).update(
                status=status, decided_by=by, decided_at=now, decision_reason=reason
            )
            if not decided:
                raise Conflict(_("This request has already been decided."), code="decided")
            change = NameChangeRequest.objects.select_related("enterprise").get(pk=change_request.pk)
            reissued: list[int] = []
            if approve:
                reissued = _apply_name_change(change, by=by)
            audit_record(
                event=AuditEventType.NAME_CHANGE_APPROVED if approve else AuditEventType.NAME_CHANGE_REFUSED,
                obj=change.enterprise,
                by=by,
                payload={
                    "request": change.pk,
                    "reason": reason,
                    "certificates_reissued": reissued,
                    **_change_payload(change),
                },
            )
            context = {**_change_context(change), "approved": approve, "reason": reason, "reissued": len(reissued)}
            for membership in EnterpriseMembership.objects.filter(
                enterprise=change.enterprise, role=MemberRole.OWNER
            ).select_related("user"):
                mail_queue(template="name_change_decided", to_user=membership.user, context=context)
    except IntegrityError:
        raise Conflict(_("An enterprise with this credit code is already registered."), code="duplicate") from None
    return change


def _apply_name_change(change: NameChangeRequest, *, by: User) -> list[int]:
    from certificates.services import (  # noqa: PLC0415 -- certificates depends on enterprises (via awards)
        certificates_reissue_for_enterprise,
    )

    enterprise = Enterprise.objects.select_for_update().get(pk=change.enterprise_id)
    enterprise.name_zh, enterprise.name_en = change.new_name_zh, change.new_name_en
    enterprise.credit_code = change.new_credit_code
    enterprise.save(update_fields=["name_zh", "name_en", "credit_code", "updated_at"])
    # The register is the province's: the approved name is the enterprise's in every programme it
    # applied to, whichever office decided (its request's scope holds that office's programmes only).
    with every_programme():
        Application.objects.filter(enterprise=enterprise).exclude(status=ApplicationStatus.DRAFT).update(
            record_name_zh=change.new_name_zh,
            record_name_en=change.new_name_en,
            record_credit_code=change.new_credit_code,
            updated_at=timezone.now(),
        )
        return certificates_reissue_for_enterprise(enterprise_id=enterprise.pk, by=by, name_change_id=change.pk)


def _change_payload(change: NameChangeRequest) -> dict[str, list[str]]:
    return {name: [getattr(change, f"old_{name}"), getattr(change, f"new_{name}")] for name in change.changed_fields}


def _change_context(change: NameChangeRequest) -> dict[str, Any]:
    return {
        "old_name_zh": change.old_name_zh,
        "old_name_en": change.old_name_en,
        "old_credit_code": change.old_credit_code,
        "new_name_zh": change.new_name_zh,
        "new_name_en": change.new_name_en,
        "new_credit_code": change.new_credit_code,
        "request_reason": change.reason,
        "request_id": change.pk,
        "enterprise_id": change.enterprise_id,
    }


# --- Invitations and members ----------------------------------------------------------------------


def invitation_create(
    *, enterprise: Enterprise, by: User, email: str, role: str = MemberRole.EDITOR, language: str = "zh-hans"
) -> Invitation:
    """Invite a colleague by e-mail. A new invitation to the same address replaces a pending one."""
    require("enterprises.manage_members", by, enterprise, _("Only the enterprise's owner may invite colleagues."))
    email = email.strip().lower()
    if EnterpriseMembership.objects.filter(enterprise=enterprise, user__email__iexact=email).exists():
        raise NotAllowed(_("%(email)s is already a member of this enterprise.") % {"email": email}, code="member")
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(
            enterprise=enterprise, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            enterprise=enterprise, email=email, role=role, language=language, invited_by=by
        )
        audit_record(
            event=AuditEventType.INVITATION_CREATED,
            obj=enterprise,
            by=by,
            payload={"invitation": invitation.pk, "email": email, "role": role},
        )
        mail_queue(
            template="enterprise_invitation",
            to_email=email,
            language=language,
            context={
                "link": settings.SITE_URL + reverse("enterprises:invitation", args=[invitation.token]),
                "enterprise": enterprise.official_name,
                "inviter": by.get_full_name(),
                "role": role,
                "expires": _local(invitation.expires_at),
            },
        )
    return invitation


def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    require(
        lambda user, enterprise: allowed("enterprises.manage_members", user, enterprise) or user.is_superuser,
        by,
        invitation.enterprise,
        _("Only the enterprise's owner may revoke invitations."),
    )
    with transaction.atomic():
        updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not updated:
            raise NotAllowed(_("This invitation was already accepted or revoked."), code="closed")
        audit_record(
            event=AuditEventType.INVITATION_REVOKED,
            obj=invitation.enterprise,
            by=by,
            payload={"invitation": invitation.pk, "email": invitation.email},
        )
    invitation.refresh_from_db()
    return invitation


def invitation_problem(invitation: Invitation, user: User | None = None) -> str | None:
    """Why this invitation cannot be accepted (by `user`), or None when it can."""
    if invitation.accepted_at:
        return _("This invitation has already been used. Log in to reach the enterprise.")
    if invitation.revoked_at:
        return _("This invitation was withdrawn by the enterprise's owner. Ask them for a new one if needed.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation expired on %(date)s. Ask the enterprise's owner for a new one.") % {
            "date": _local(invitation.expires_at)
        }
    if user is not None and not allowed("enterprises.join_enterprise", user):
        return _(
            "You judge applicants as a member of the award office, an expert or a committee member, "
            "so you cannot join an applicant enterprise."
        )
    if user is not None and user.email.lower() != invitation.email.lower():
        return _(
            "This invitation was sent to %(invited)s, but you are logged in as %(current)s. "
            "Log out and open the link again, or ask the owner to invite this address."
        ) % {"invited": mask_email(invitation.email), "current": user.email}
    return None


def invitation_accept(*, invitation: Invitation, user: User) -> EnterpriseMembership:
    """Join the enterprise. The invitation link reached this address, so the address counts as verified."""
    problem = invitation_problem(invitation, user)
    if problem:
        raise NotAllowed(problem, code="invitation")
    now = timezone.now()
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(accepted_at=now, accepted_by=user)
        if not claimed:
            raise Conflict(_("This invitation has just been used or withdrawn."), code="invitation")
        membership, created = EnterpriseMembership.objects.get_or_create(
            enterprise_id=invitation.enterprise_id, user=user, defaults={"role": invitation.role}
        )
        if not created and invitation.role == MemberRole.OWNER and membership.role != MemberRole.OWNER:
            membership.role = MemberRole.OWNER
            membership.save(update_fields=["role"])
        User.objects.filter(pk=user.pk).update(email_verified=True)
        audit_record(
            event=AuditEventType.INVITATION_ACCEPTED,
            obj=invitation.enterprise,
            by=user,
            payload={
                "invitation": invitation.pk,
                "user": user.pk,
                "role": membership.role,
            },
        )
    user.email_verified = True
    user.__dict__.pop("_mqa_links", None)  # the roles and programmes read for this request
    invitation.refresh_from_db()
    return membership


def membership_remove(*, membership: EnterpriseMembership, by: User) -> None:
    """Remove a member. An enterprise always keeps at least one owner."""
    enterprise = membership.enterprise
    require("enterprises.manage_members", by, enterprise, _("Only the enterprise's owner may remove members."))
    with transaction.atomic():
        # Lock the owners so that two owners removing each other cannot leave none.
        owners = list(
            EnterpriseMembership.objects.select_for_update()
            .filter(enterprise=enterprise, role=MemberRole.OWNER)
            .values_list("pk", flat=True)
        )
        current = EnterpriseMembership.objects.filter(pk=membership.pk).first()
        if current is None:
            raise NotAllowed(_("This person is no longer a member."), code="gone")
        if current.role == MemberRole.OWNER and owners == [current.pk]:
            raise NotAllowed(
                _("%(name)s is the enterprise's only owner and cannot be removed. Invite another owner first.")
                % {"name": current.user.get_full_name()},
                code="last_owner",
            )
        current.delete()
        audit_record(
            event=AuditEventType.MEMBER_REMOVED,
            obj=enterprise,
            by=by,
            payload={
                "user": current.user_id,
                "email": current.user.email,
                "role": current.role,
            },
        )
