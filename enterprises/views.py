"""Applicant side: registration, e-mail verification, the enterprise profile and its members.
The award office has a read-only view of every profile."""

from __future__ import annotations

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import ratelimit
from core.errors import ServiceError
from core.models import User
from core.net import client_address
from core.pagination import paginate

from . import selectors, services
from .enums import NameChangeStatus
from .filters import EnterpriseOfficeFilter
from .forms import EnterpriseForm, InvitationForm, NameChangeDecisionForm, NameChangeForm, RegistrationForm
from .models import Invitation

SESSION_INVITATION = "enterprises.invitation"
SESSION_REGISTERED_EMAIL = "enterprises.registered_email"
RESEND_INTERVAL = 60  # seconds between two verification e-mails to one person


def _deny_unless(user, perm: str, obj=None) -> None:
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied


def _verify_first(request):
    """The page that explains why, with a button to resend the link (status 403)."""
    return render(request, "enterprises/verify_required.html", status=403)


# --- Registration and verification ----------------------------------------------------------------


def register(request):
    """Anyone not signed in. Through an invitation link the address is prefilled and the account joins
    the enterprise at once."""
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    invitation = None
    token = request.GET.get("invitation") or request.session.get(SESSION_INVITATION)
    if token:
        invitation = Invitation.objects.select_related("enterprise").filter(token=token).first()
        if invitation is not None and services.invitation_problem(invitation):
            invitation = None
    status = 200
    if request.method == "POST":
        throttled = services.registration_throttled(ip=client_address(request))
        form = RegistrationForm(request.POST, throttled=throttled)
        if throttled:
            status = 429
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.user_register(
                    email=data["email"],
                    full_name=data["full_name"],
                    password=data["password1"],
                    preferred_language=data["preferred_language"],
                    invitation=invitation,
                )
            except ServiceError as exc:
                form.add_error("email", exc.message)
            else:
                request.session.pop(SESSION_INVITATION, None)
                if user is not None and user.email_verified and invitation is not None:
                    # The invitation link proved the address: the newcomer joins and is signed in at once.
                    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                    messages.success(
                        request, _("Welcome! You are now a member of %(name)s.") % {"name": invitation.enterprise}
                    )
                    response = redirect("enterprises:detail", invitation.enterprise_id)
                    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.preferred_language, samesite="Lax")
                    return response
                # New or already known address: the same answer (the known one was mailed instead).
                request.session[SESSION_REGISTERED_EMAIL] = data["email"]
                return redirect("enterprises:register_done")
    else:
        form = RegistrationForm(
            initial={"email": invitation.email if invitation else "", "preferred_language": request.LANGUAGE_CODE}
        )
    if invitation is not None:
        form.fields["email"].help_text = _(
            "Keep the invited address to join at once; with another address you confirm it by e-mail first."
        )
    return render(request, "enterprises/register.html", {"form": form, "invitation": invitation}, status=status)


def register_done(request):
    """Anyone: the answer after registering, the same whether or not the address had an account."""
    email = request.session.get(SESSION_REGISTERED_EMAIL, "")
    return render(request, "enterprises/register_done.html", {"email": email})


def verify_email(request, token: str):
    """Anyone holding the link (it may be opened in another browser): the signature is the proof."""
    try:
        user = services.user_verify_email(token=token)
    except ServiceError as exc:
        return render(request, "enterprises/verify_failed.html", {"message": exc.message}, status=400)
    messages.success(request, _("Thank you: your e-mail address %(email)s is verified.") % {"email": user.email})
    if request.user.is_authenticated and request.user.pk == user.pk:
        if selectors.enterprises_of_user(user).exists():
            return redirect("core:dashboard")
        return redirect("enterprises:create")
    return redirect(f"{reverse('login')}?next={reverse('enterprises:create')}")


@login_required
@require_POST
def verify_resend(request):
    """A signed-in user whose address is not verified yet. At most one e-mail a minute, counted in the
    shared rate-limit store (core.ratelimit), so a second web replica does not send another one."""
    user = request.user
    if user.email_verified:
        messages.info(request, _("Your e-mail address is already verified."))
    elif ratelimit.exceeded("verify-resend", str(user.pk), limit=1, window=RESEND_INTERVAL):
        messages.warning(request, _("We sent a link less than a minute ago. Please check your inbox and spam folder."))
    else:
        services.email_verification_send(user=user)
        messages.success(request, _("We have sent a new link to %(email)s.") % {"email": user.email})
    nxt = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("core:dashboard")


# --- Enterprise profile ---------------------------------------------------------------------------


@login_required
def my_enterprise(request):
    """Signed-in users: their enterprise's profile, or the form to create one."""
    enterprise = selectors.enterprises_of_user(request.user).first()
    if enterprise is None:
        return redirect("enterprises:create")
    return redirect("enterprises:detail", pk=enterprise.pk)


@login_required
def enterprise_create(request):
    """A verified person with no enterprise and no role in the award's review."""
    user = request.user
    if not user.email_verified:
        return _verify_first(request)
    if selectors.enterprises_of_user(user).exists():
        messages.info(request, _("You already belong to an enterprise."))
        return redirect("enterprises:mine")
    _deny_unless(user, "enterprises.register_enterprise")
    form = EnterpriseForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_register(
                by=user, credit_code=form.cleaned_data["credit_code"], **form.profile()
            )
        except ServiceError as exc:
            form.add_error("credit_code", exc.message)
        else:
            # The profile page says which programmes the enterprise may apply to (once, not here too).
            messages.success(request, _("The profile of %(name)s is registered.") % {"name": enterprise})
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form, "creating": True})


@login_required
def enterprise_detail(request, pk: int):
    """Members (owner, editor) of this enterprise; anyone else gets 404."""
    enterprise = selectors.enterprise_for_member(request.user, pk)
    return render(
        request,
        "enterprises/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "can_edit": rules.has_perm("enterprises.edit_profile", request.user, enterprise),
            "name_changes": selectors.name_changes_of(enterprise),
            "identity_locked": selectors.enterprise_identity_locked(enterprise),
        },
    )


@login_required
def enterprise_edit(request, pk: int):
    """The owner; editors get 403, everyone else 404."""
    enterprise = selectors.enterprise_for_member(request.user, pk)
    if not request.user.email_verified:
        return _verify_first(request)
    _deny_unless(request.user, "enterprises.edit_profile", enterprise)
    locked = selectors.enterprise_identity_locked(enterprise)
    form = EnterpriseForm(request.POST or None, instance=enterprise, creating=False, identity_locked=locked)
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_update(enterprise=enterprise, by=request.user, **form.profile())
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(
        request,
        "enterprises/enterprise_form.html",
        {"form": form, "creating": False, "enterprise": enterprise, "identity_locked": locked},
    )


@login_required
def name_change_new(request, pk: int):
    """The owner asks the award office to change the names or the credit code; editors get 403,
    everyone else 404."""
    enterprise = selectors.enterprise_for_member(request.user, pk)
    if not request.user.email_verified:
        return _verify_first(request)
    _deny_unless(request.user, "enterprises.edit_profile", enterprise)
    pending = selectors.name_change_pending(enterprise)
    initial = {"name_zh": enterprise.name_zh, "name_en": enterprise.name_en, "credit_code": enterprise.credit_code}
    form = NameChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            services.name_change_request(enterprise=enterprise, by=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            form.add_error("credit_code", exc)
        else:
            messages.success(
                request, _("Your request was sent to the award office. You will hear of its decision by e-mail.")
            )
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(
        request, "enterprises/name_change_form.html", {"form": form, "enterprise": enterprise, "pending": pending}
    )


@login_required
def office_name_changes(request):
    """The award office: requests to change names or credit codes, pending ones first."""
    _deny_unless(request.user, "enterprises.view_as_office")
    status = request.GET.get("status", "")
    if status not in NameChangeStatus.values:
        status = ""
    return render(
        request,
        "enterprises/office_name_changes.html",
        {
            "changes": selectors.name_changes_for_office(request.user, status=status)[:500],
            "status": status,
            "statuses": NameChangeStatus.choices,
        },
    )


@login_required
def office_name_change(request, pk: int):
    """The award office: one request, approved or refused with a reason."""
    _deny_unless(request.user, "enterprises.decide_name_change")
    change = selectors.name_change_for_office(request.user, pk)
    form = NameChangeDecisionForm(request.POST or None)
    if request.method == "POST" and change.status == NameChangeStatus.PENDING and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.name_change_decide(
                change_request=change, by=request.user, approve=approve, reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The change is approved.") if approve else _("The change is refused."))
            return redirect("enterprises:office_name_changes")
    return render(
        request,
        "enterprises/office_name_change.html",
        {"change": change, "form": form, "locked": selectors.enterprise_identity_locked(change.enterprise)},
    )


# --- Members and invitations ----------------------------------------------------------------------


def _members_page(request, enterprise, form=None, status=200):
    can_manage = rules.has_perm("enterprises.manage_members", request.user, enterprise)
    members = list(selectors.enterprise_members(enterprise))
    n_owners = sum(1 for m in members if m.role == "owner")
    return render(
        request,
        "enterprises/members.html",
        {
            "enterprise": enterprise,
            "members": members,
            "n_owners": n_owners,
            "invitations": selectors.invitations_pending(enterprise) if can_manage else [],
            "can_manage": can_manage,
            "form": form or (InvitationForm(initial={"language": request.LANGUAGE_CODE}) if can_manage else None),
        },
        status=status,
    )


@login_required
def members(request, pk: int):
    """Members see who else works on the enterprise; the owner also sees and manages invitations."""
    enterprise = selectors.enterprise_for_member(request.user, pk)
    return _members_page(request, enterprise)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request, pk: int):
    """The owner; editors 403, everyone else 404. A GET (a reload, or the language switch after a form
    error shown at this address) goes back to the members page."""
    enterprise = selectors.enterprise_for_member(request.user, pk)
    if request.method == "GET":
        return redirect("enterprises:members", pk=enterprise.pk)
    if not request.user.email_verified:
        return _verify_first(request)
    _deny_unless(request.user, "enterprises.manage_members", enterprise)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(enterprise=enterprise, by=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error("email", exc.message)
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s. It works for 7 days.") % {"email": invitation.email},
            )
            return redirect("enterprises:members", pk=enterprise.pk)
    return _members_page(request, enterprise, form=form, status=400)


@login_required
@require_POST
def invitation_revoke(request, pk: int, invitation_id: int):
    """The owner; editors 403, everyone else 404."""
    enterprise = selectors.enterprise_for_member(request.user, pk)
    if not request.user.email_verified:
        return _verify_first(request)
    _deny_unless(request.user, "enterprises.manage_members", enterprise)
    invitation = get_object_or_404(Invitation, pk=invitation_id, enterprise=enterprise)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect("enterprises:members", pk=enterprise.pk)


@login_required
@require_POST
def member_remove(request, pk: int, membership_id: int):
    """The owner; editors 403, everyone else 404."""
    enterprise = selectors.enterprise_for_member(request.user, pk)
    if not request.user.email_verified:
        return _verify_first(request)
    _deny_unless(request.user, "enterprises.manage_members", enterprise)
    membership = get_object_or_404(enterprise.memberships.select_related("user"), pk=membership_id)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user.get_full_name()})
        if membership.user_id == request.user.pk:
            return redirect("core:dashboard")
    return redirect("enterprises:members", pk=enterprise.pk)


def invitation(request, token: str):
    """Anyone with the link. Signed in with the invited address: accept (POST). Not registered: register.
    Registered but signed out: log in first. Used, withdrawn or expired: say so."""
    invitation = selectors.invitation_by_token(token)
    problem = services.invitation_problem(invitation)
    if problem:
        return render(
            request, "enterprises/invitation.html", {"invitation": invitation, "problem": problem}, status=410
        )
    user = request.user
    if not user.is_authenticated:
        if not User.objects.filter(email__iexact=invitation.email).exists():
            request.session[SESSION_INVITATION] = invitation.token
            return redirect(f"{reverse('enterprises:register')}?invitation={invitation.token}")
        return render(
            request,
            "enterprises/invitation.html",
            {"invitation": invitation, "login_url": f"{reverse('login')}?next={request.path}"},
        )
    problem = services.invitation_problem(invitation, user)
    if problem:
        return render(
            request, "enterprises/invitation.html", {"invitation": invitation, "problem": problem}, status=403
        )
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=user)
        except ServiceError as exc:
            return render(
                request, "enterprises/invitation.html", {"invitation": invitation, "problem": exc.message}, status=409
            )
        messages.success(request, _("Welcome! You are now a member of %(name)s.") % {"name": invitation.enterprise})
        return redirect("enterprises:detail", pk=invitation.enterprise_id)
    return render(request, "enterprises/invitation.html", {"invitation": invitation, "can_accept": True})


# --- Award office ---------------------------------------------------------------------------------


@login_required
def office_list(request):
    """The award office (secretary of any cycle, admin): every enterprise, read-only."""
    _deny_unless(request.user, "enterprises.view_as_office")
    filters = EnterpriseOfficeFilter(request.GET, queryset=selectors.enterprises_for_office(request.user))
    page = paginate(request, filters.qs)
    n_pending = selectors.name_changes_for_office(request.user, status=NameChangeStatus.PENDING).count()
    return render(
        request,
        "enterprises/office_list.html",
        {"form": filters.form, "enterprises": page, "page": page, "n_pending_name_changes": n_pending},
    )


@login_required
def office_detail(request, pk: int):
    """The award office: one profile with its members, read-only."""
    _deny_unless(request.user, "enterprises.view_as_office")
    enterprise = get_object_or_404(selectors.enterprises_for_office(request.user), pk=pk)
    return render(
        request,
        "enterprises/office_detail.html",
        {
            "enterprise": enterprise,
            "members": selectors.enterprise_members(enterprise),
        },
    )
