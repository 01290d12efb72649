"""Expert review pages. Each view says who may use it; the work happens in services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards.enums import CycleStatus
from awards.models import Application, CriteriaItem
from awards.scale import scale_for_page
from core.errors import Conflict, ServiceError
from core.http_cache import fragment_per_state
from core.models import User
from core.pagination import paginate
from vetting import selectors as vetting_selectors

from . import record_selectors, scoring, selectors, services
from .enums import AssignmentStatus, RankingBasis, RoundKind, SheetStatus
from .exports import ranking_csv_lines, ranking_xlsx_file
from .forms import (
    AutoAssignForm,
    ConsensusForm,
    DecideForm,
    DeclarationForm,
    ExpertProfileForm,
    InviteForm,
    PanelForm,
    ReasonForm,
    RoundForm,
    sheet_post,
)
from .models import DeclaredConflict, ExpertProfile, Panel, ReviewRound, ScoreSheet
from .rules import is_pool_expert
from .stage_windows import round_stage

RANKING_CHART_TOP = 25  # the chart shows the leading applications

# ---------------------------------------------------------------- helpers


# ---------------------------------------------------------------- experts


@login_required
def my_work(request):
    """Experts: their assignments in every cycle, with what is due."""
    if not is_pool_expert(request.user):
        raise PermissionDenied
    assignments = list(selectors.assignments_of_expert(request.user))
    now = timezone.now()
    rows = [(a, selectors.cell_status(a, now)) for a in assignments]
    return render(request, "reviews/my_work.html", {"rows": rows})


@login_required
def profile(request):
    """Experts: their pool profile (title, employer, expertise, district, past consulting clients)."""
    if not request.user.has_perm("reviews.edit_own_profile"):
        raise PermissionDenied
    current = ExpertProfile.objects.filter(user=request.user).prefetch_related("past_clients").first()
    initial = {}
    if current:
        initial = {
            "title": current.title,
            "employer": current.employer,
            "employer_credit_code": current.employer_credit_code,
            "industries": current.industries,
            "district": current.district,
            "time_zone": current.time_zone,
            "past_clients": "\n".join(f"{c.credit_code} {c.name}" for c in current.past_clients.all()),
        }
    form = ExpertProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.expert_profile_save(user=request.user, by=request.user, **form.cleaned_data)
        messages.success(request, _("Your expert profile was saved."))
        return redirect("reviews:profile")
    return render(request, "reviews/profile.html", {"form": form})


def _already_declared(request, assignment):
    """A double click on the declaration: the first click was recorded; say so instead of failing."""
    assignment.refresh_from_db(fields=["status"])
    messages.info(request, _("Your declaration was already recorded; nothing more is needed."))
    if assignment.status == AssignmentStatus.CONFLICT:
        return redirect("reviews:my_work")
    return redirect("reviews:sheet", pk=assignment.pk)


@login_required
def declare(request, pk):
    """The assigned expert: declare no conflict or a conflict, before any material is shown."""
    assignment = selectors.assignment_for_expert(user=request.user, pk=pk)
    if assignment.status != AssignmentStatus.PENDING:
        if assignment.status == AssignmentStatus.CONFLICT:
            if request.method == "POST":
                return _already_declared(request, assignment)  # a second click on the declaration
            raise Http404
        return redirect("reviews:sheet", pk=pk)
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        conflict = form.cleaned_data["declaration"] == "conflict"
        try:
            services.assignment_declare(
                assignment=assignment, by=request.user, conflict=conflict, reason=form.cleaned_data["reason"]
            )
        except Conflict:
            return _already_declared(request, assignment)  # two clicks at once: the first one was recorded
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            if conflict:
                messages.success(request, _("Your conflict was recorded and the award office informed. Thank you."))
                return redirect("reviews:my_work")
            return redirect("reviews:sheet", pk=pk)
    return render(request, "reviews/declare.html", {"assignment": assignment, "form": form})


def _sheet_page(request, assignment, overrides=None, *, status=200, **extra):
    """The scoring sheet page. Its two large parts, the material and the sheet's fields, are drawn by
    their own templates; a plain view (no typed values or errors to show back) keeps them per state
    (`fragment_per_state`: the last recorded change, which covers a reopened sheet, a new submitted
    version, a released or superseded previous report and the applicant's answers to it; the
    language; the date; the address) plus the sheet's own state below, since a draft's saves are not
    audit events: every save stamps `ScoreSheet.updated_at`. A draft cycle (its framework may still
    be edited) is always drawn afresh. The page around them (header, CSRF token) is drawn each time."""
    sheet = ScoreSheet.objects.filter(assignment=assignment).first()
    rnd = assignment.panel.round
    application = assignment.panel.application
    if application.cycle_id == rnd.cycle_id:
        application.cycle = rnd.cycle  # loaded with the assignment: the material names it
    submitted = sheet is not None and sheet.status == SheetStatus.SUBMITTED
    # Past the round's close the services refuse every save: show the sheet read-only and say why.
    closed = not submitted and timezone.now() >= rnd.closes_at
    page = {
        "assignment": assignment,
        "round": rnd,
        "sheet": sheet,
        "locked": submitted or closed,
        "submitted": submitted,
        "closed": closed,
        "scale": scale_for_page(),
        **extra,
    }

    def fields() -> str:
        categories, total, done = selectors.sheet_view(assignment=assignment, overrides=overrides, sheet=sheet)
        context = {
            **page,
            "categories": categories,
            "total": total,
            "done": done,
            "n_items": sum(len(c.items) for c in categories),
            "overall_comment": (overrides or {}).get("comment", sheet.overall_comment if sheet else ""),
            "bands": scoring.BANDS,
            "process_dimensions": scoring.PROCESS_DIMENSIONS,
            "results_dimensions": scoring.RESULTS_DIMENSIONS,
            "text_max": services.SHEET_TEXT_MAX,
        }
        return render_to_string("reviews/_sheet_fields.html", context)

    def material() -> str:
        return render_to_string("reviews/_material.html", {"material": selectors.material_for_expert(application)})

    if overrides is None and rnd.cycle.status != CycleStatus.DRAFT:
        state = ":".join(
            str(x)
            for x in (
                assignment.pk,
                assignment.status,
                assignment.is_leader,
                sheet.pk if sheet else "",
                sheet.status if sheet else "",
                sheet.updated_at.isoformat() if sheet else "",
                closed,
                rnd.closes_at.isoformat(),
            )
        )
        page["fields_html"] = fragment_per_state(request, "sheet-fields", fields, state=state)
        page["material_html"] = fragment_per_state(request, "sheet-material", material, state=str(application.pk))
    else:
        page["fields_html"], page["material_html"] = mark_safe(fields()), mark_safe(material())  # noqa: S308 -- rendered by templates
    return render(request, "reviews/sheet.html", page, status=status)


@login_required
def sheet(request, pk):
    """The assigned expert's scoring sheet beside the submitted material; POST saves or submits."""
    assignment = selectors.assignment_for_expert(user=request.user, pk=pk)
    if assignment.status == AssignmentStatus.PENDING:
        return redirect("reviews:declare", pk=pk)
    if (
        assignment.status == AssignmentStatus.CONFLICT
        or DeclaredConflict.objects.filter(
            expert=request.user, enterprise_id=assignment.panel.application.enterprise_id
        ).exists()
    ):
        raise Http404  # a conflict declared in any round closes the enterprise's material
    rnd = assignment.panel.round
    if rnd.opens_at > timezone.now():
        # The material is shown from the round's opening, as its attachments are.
        messages.info(
            request,
            _("This round opens on %(date)s; the material and the sheet are available from then.")
            % {"date": date_format(timezone.localtime(rnd.opens_at), "DATETIME_FORMAT")},
        )
        return redirect("core:dashboard")
    if request.method != "POST":
        return _sheet_page(request, assignment)
    categories, _t, _d = selectors.sheet_view(assignment=assignment)
    scores, feedback, comment = sheet_post(request.POST, categories)
    overrides = {"scores": scores, "feedback": feedback, "comment": comment}
    try:
        services.sheet_save(
            assignment=assignment, by=request.user, scores=scores, feedback=feedback, overall_comment=comment
        )
        if request.POST.get("action") == "submit":
            services.sheet_submit(assignment=assignment, by=request.user)
            messages.success(request, _("Your sheet was submitted. You can now see the panel's scores."))
            return redirect("reviews:panel", pk=assignment.panel_id)
    except services.ScoreErrors as exc:
        overrides["errors"] = exc.errors
        return _sheet_page(request, assignment, overrides, status=400, error=exc.message)
    except services.IncompleteSheet as exc:
        return _sheet_page(request, assignment, overrides, status=400, error=exc.message, missing=exc.missing)
    except ServiceError as exc:
        return _sheet_page(request, assignment, overrides, status=400, error=exc.message)
    messages.success(request, _("Draft saved."))
    return redirect("reviews:sheet", pk=pk)


@login_required
@require_POST
def autosave(request, pk):
    """htmx: save the draft as the expert types; answers with a one-line status."""
    assignment = selectors.assignment_for_expert(user=request.user, pk=pk)
    if assignment.status == AssignmentStatus.CONFLICT:
        raise Http404
    categories, _t, _d = selectors.sheet_view(assignment=assignment)
    scores, feedback, comment = sheet_post(request.POST, categories)
    context = {"saved_at": None, "error": ""}
    try:
        services.sheet_save(
            assignment=assignment, by=request.user, scores=scores, feedback=feedback, overall_comment=comment
        )
        context["saved_at"] = timezone.localtime()
    except services.ScoreErrors as exc:
        codes = dict(CriteriaItem.objects.filter(pk__in=exc.errors).values_list("pk", "code"))
        context["error"] = "; ".join(f"{codes.get(k, k)}: {v}" for k, v in exc.errors.items())
    except ServiceError as exc:
        context["error"] = exc.message
    _c, total, done = selectors.sheet_view(assignment=assignment)
    context.update(total=total, done=done, n_items=sum(len(c.items) for c in _c))
    return render(request, "reviews/_autosave_status.html", context)


# ---------------------------------------------------------------- panel results and consensus


@login_required
def panel(request, pk):
    """Panel figures: the office, and panel members once they have submitted their own sheet."""
    panel = selectors.panel_for(user=request.user, pk=pk)
    if not request.user.has_perm("reviews.view_panel", panel):
        raise PermissionDenied  # a member who has not submitted their own sheet yet
    detail = selectors.panel_detail(panel=panel)
    may_record = request.user.has_perm("reviews.record_consensus", panel)
    chart = {
        "labels": [str(m.expert) for m in detail.members],
        "series": [
            {"label": _("Raw total"), "data": [float(t) if t is not None else None for t in detail.expert_totals]},
            {
                "label": _("Normalised total"),
                "data": [float(t) if t is not None else None for t in detail.normalised_totals],
            },
        ],
        "line": float(detail.total) if detail.total is not None else None,
        "line_label": _("Panel score"),
    }
    return render(
        request,
        "reviews/panel.html",
        {
            "panel": panel,
            "detail": detail,
            "may_record": may_record and detail.all_submitted,
            "is_office": request.user.has_perm("reviews.manage_reviews", panel.round),
            "consensus_form": ConsensusForm(),
            "chart": chart,
            "threshold_pct": panel.round.cycle.dispersion_threshold * 100,
            "opinion_records": vetting_selectors.dossier_records(panel.application),
        },
    )


@login_required
@require_POST
def consensus(request, pk, item_pk):
    """The panel leader records the consensus of one flagged item."""
    panel = selectors.panel_for(user=request.user, pk=pk)
    if not request.user.has_perm("reviews.record_consensus", panel):
        raise PermissionDenied
    item = get_object_or_404(CriteriaItem, pk=item_pk, category__framework_id=panel.round.cycle.framework_id)
    form = ConsensusForm(request.POST)
    if form.is_valid():
        try:
            services.consensus_record(panel=panel, item=item, by=request.user, **form.cleaned_data)
            messages.success(request, _("Consensus for %(item)s recorded.") % {"item": item.code})
        except ServiceError as exc:
            messages.error(request, f"{item.code}: {exc.message}")
    else:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"{item.code}: {errors}")
    return redirect(f"{panel_url(panel)}#item-{item.pk}")


def panel_url(panel):
    return reverse("reviews:panel", args=[panel.pk])


# ---------------------------------------------------------------- the award office


@login_required
def cycles(request):
    """Secretaries: the cycles whose review they run."""
    if not request.user.has_perm("awards.access_office"):
        raise PermissionDenied
    return render(request, "reviews/cycles.html", {"cycles": selectors.cycles_with_reviews_for(request.user)})


@login_required
def cycle_dashboard(request, pk):
    """Secretary: rounds, the applications × experts matrix, links to panels, ranking and experts."""
    cycle = selectors.cycle_for_office(user=request.user, pk=pk)
    rounds = {r.kind: r for r in cycle.review_rounds.all()}
    kind = request.GET.get("round") or (RoundKind.ONSITE if RoundKind.ONSITE in rounds else RoundKind.MATERIAL)
    rnd = rounds.get(kind)
    page = paginate(request, selectors.round_matrix_panels(rnd)) if rnd else None
    matrix = selectors.review_matrix(rnd=rnd, panels=page) if rnd else None
    return render(
        request,
        "reviews/cycle.html",
        {
            "cycle": cycle,
            "rounds": rounds,
            "kinds": RoundKind.choices,
            "current": rnd,
            "kind": kind,
            "matrix": matrix,
            "page": page,
        },
    )


@login_required
def round_edit(request, pk, kind):
    """Secretary: set a round's scoring window."""
    cycle = selectors.cycle_for_office(user=request.user, pk=pk)
    if kind not in RoundKind.values:
        raise Http404
    rnd = ReviewRound.objects.filter(cycle=cycle, kind=kind).first()
    initial = (
        {"opens_at": timezone.localtime(rnd.opens_at), "closes_at": timezone.localtime(rnd.closes_at)} if rnd else {}
    )
    form = RoundForm(request.POST or None, initial=initial, stage=round_stage(cycle, kind))
    if request.method == "POST" and form.is_valid():
        try:
            services.round_save(cycle=cycle, kind=kind, by=request.user, **form.cleaned_data)
        except ServiceError as exc:
            field = {"opens_outside_stage": "opens_at", "closes_outside_stage": "closes_at"}.get(exc.code)
            form.add_error(field, exc.message)
        else:
            messages.success(request, _("The round was saved."))
            return redirect(f"{_url('reviews:cycle', cycle.pk)}?round={kind}")
    return render(
        request, "reviews/round_form.html", {"cycle": cycle, "form": form, "kind_label": RoundKind(kind).label}
    )


def _url(name, *args):
    return reverse(name, args=args)


@login_required
def panels(request, pk):
    """Secretary: the round's applications and panels; automatic assignment with its report."""
    rnd = selectors.round_for_office(user=request.user, pk=pk)
    form = AutoAssignForm(request.POST or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.panels_auto_assign(rnd=rnd, by=request.user, seed=form.cleaned_data["seed"])
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            report = _plan_report(plan)
            messages.success(
                request,
                _("%(n)s experts were assigned.") % {"n": sum(len(v) for v in plan.panels.values())},
            )
    page = paginate(request, selectors.round_applications(rnd))
    return render(
        request,
        "reviews/panels.html",
        {
            "round": rnd,
            "rows": selectors.round_panels(rnd=rnd, applications=page),
            "page": page,
            "form": form,
            "report": report,
            "employer_applies": selectors.experts_whose_employer_applies(rnd.cycle_id),
        },
    )


def _plan_report(plan):
    ids = {p.application_id for p in plan.problems if p.application_id}
    names = {a.pk: a.display_name for a in Application.objects.filter(pk__in=ids).select_related("enterprise")}
    expert_ids = {p.detail["expert"] for p in plan.problems if p.code == "leader_employer_applies"}
    experts = {u.pk: str(u) for u in User.objects.filter(pk__in=expert_ids)}
    lines = []
    for p in plan.problems:
        name = names.get(p.application_id, "")
        if p.code == "panel_short":
            lines.append(
                _("%(name)s: only %(have)s of %(need)s experts could be assigned without a conflict.")
                % {"name": name, **p.detail}
            )
        elif p.code == "no_industry_match":
            lines.append(_("%(name)s: no expert of the panel has expertise in its industry.") % {"name": name})
        elif p.code == "leader_employer_applies":
            lines.append(
                _(
                    "%(name)s: every expert of the panel works for an enterprise that applies in this cycle; "
                    "%(expert)s leads it. Consider setting the panel by hand."
                )
                % {"name": name, "expert": experts.get(p.detail["expert"], "")}
            )
        elif p.code == "load_unbalanced":
            lines.append(
                _("The load could not be balanced within one: some experts have %(max)s panels, others %(min)s.")
                % p.detail
            )
    return lines


@login_required
def panel_edit(request, pk, app_pk):
    """Secretary: set one application's panel by hand."""
    rnd = selectors.round_for_office(user=request.user, pk=pk)
    application = get_object_or_404(Application.objects.select_related("enterprise"), pk=app_pk, cycle=rnd.cycle)
    experts = list(selectors.cycle_experts(rnd.cycle))
    panel = Panel.objects.filter(round=rnd, application=application).first()
    initial = {}
    if panel:
        active = panel.assignments.exclude(status=AssignmentStatus.CONFLICT)
        initial = {
            "experts": [str(a.expert_id) for a in active],
            "leader": next((str(a.expert_id) for a in active if a.is_leader), ""),
        }
    form = PanelForm(
        request.POST or None,
        initial=initial,
        experts=experts,
        size=rnd.cycle.experts_per_panel,
        notes=selectors.expert_notes_for(rnd=rnd, application=application),
    )
    if request.method == "POST" and form.is_valid():
        chosen = User.objects.filter(pk__in=form.cleaned_data["experts"])
        leader = User.objects.get(pk=form.cleaned_data["leader"])
        try:
            services.panel_set(rnd=rnd, application=application, experts=list(chosen), leader=leader, by=request.user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The panel was saved."))
            return redirect("reviews:panels", pk=rnd.pk)
    summaries = record_selectors.rating_summaries(e.pk for e in experts)
    records = [(e, summaries.get(e.pk)) for e in experts]
    return render(
        request,
        "reviews/panel_form.html",
        {"round": rnd, "application": application, "form": form, "panel": panel, "records": records},
    )


@login_required
def sheet_reopen(request, pk):
    """Secretary: reopen a submitted sheet, with a reason (audited; the expert is told)."""
    sheet = selectors.sheet_for_office(user=request.user, pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sheet_reopen(sheet=sheet, by=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The sheet was reopened and the expert informed."))
            return redirect("reviews:panel", pk=sheet.assignment.panel_id)
    return render(request, "reviews/reopen.html", {"sheet": sheet, "form": form})


@login_required
def ranking(request, pk):
    """Secretary: every application of the cycle by round and combined score, with the decisions."""
    cycle = selectors.cycle_for_office(user=request.user, pk=pk)
    chosen = request.GET.get("basis")
    try:
        cut = int(request.GET.get("cut", ""))
    except ValueError:
        cut = None
    # Where the cycle weights the presentation, the ranking decides with it; ?order=panel compares.
    by_presentation = cycle.presentation_weight > 0 and request.GET.get("order") != "panel"

    def content() -> str:
        basis = RankingBasis(chosen) if chosen in RankingBasis.values else selectors.ranking_basis(cycle)
        ranked = selectors.ranked_applications(cycle=cycle, basis=basis, by_presentation=by_presentation)
        summary = selectors.ranking_summary(ranked, basis=basis, cut=cut)
        categories = list(cycle.framework.categories.order_by("order").values_list("code", "title_zh", "title_en"))
        lang_en = (request.LANGUAGE_CODE or "").startswith("en")
        cat_labels = [(c, en if lang_en else zh) for c, zh, en in categories]
        page = paginate(request, ranked)
        rows = selectors.ranking_rows(cycle=cycle, basis=basis, applications=page, start=page.start_index())
        for r in rows:
            r.category_list = [r.categories.get(code) for code, _label in cat_labels]
        # The chart's leaders are the first page's first rows when that page is shown (the usual case).
        leaders = (
            rows[:RANKING_CHART_TOP]
            if page.number == 1 and len(rows) >= min(RANKING_CHART_TOP, page.paginator.count)
            else selectors.ranking_rows(cycle=cycle, basis=basis, applications=ranked[:RANKING_CHART_TOP])
        )
        top = [r for r in leaders if r.rank is not None]
        chart = {
            "labels": [r.application.display_name for r in top],
            "stacked": True,
            "series": [
                {"label": f"{code} {label}", "data": [float(r.categories.get(code, 0)) for r in top]}
                for code, label in cat_labels
            ],
        }
        context = {
            "cycle": cycle,
            "rows": rows,
            "page": page,
            "summary": summary,
            "basis": basis,
            "by_presentation": by_presentation,
            "cat_labels": cat_labels,
            "chart": chart,
        }
        return render_to_string("reviews/_ranking.html", context, request)

    # The ranking is the same for everyone who runs the cycle until something is recorded (a sheet
    # submitted or reopened, a consensus, a decision, an admin edit) or a stored panel score is
    # written, or a stored presentation figure: made once per state and kept.
    def decide_body(kind: str) -> str:
        context = {"cycle": cycle, f"{kind}_form": DecideForm(prefix=kind)}
        return render_to_string(f"reviews/_ranking_decide_{kind}.html", context, request)

    state = selectors.ranking_state(cycle)
    return render(
        request,
        "reviews/ranking.html",
        {
            "cycle": cycle,
            "content": fragment_per_state(request, "ranking", content, state=state),
            # The decision forms are always blank here (an invalid one redirects with a message):
            # their fields are kept too, and only the CSRF token around them is drawn each time.
            "material_body": fragment_per_state(
                request, "ranking-decide-material", lambda: decide_body("material"), state=state
            ),
            "onsite_body": fragment_per_state(
                request, "ranking-decide-onsite", lambda: decide_body("onsite"), state=state
            ),
        },
    )


@login_required
@require_POST
def ranking_decide(request, pk, kind):
    """Secretary: shortlist for on-site review, or nominate for the committee."""
    cycle = selectors.cycle_for_office(user=request.user, pk=pk)
    if kind not in RoundKind.values:
        raise Http404
    form = DecideForm(request.POST, prefix=kind)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, errors)
        return redirect("reviews:ranking", pk=cycle.pk)
    d = form.cleaned_data
    try:
        moved, dropped = services.ranking_decide(
            cycle=cycle,
            kind=kind,
            by=request.user,
            top_n=d["top_n"] if d["mode"] == "top_n" else None,
            threshold=d["threshold"] if d["mode"] == "threshold" else None,
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(m)s applications move on; %(d)s were not approved.") % {"m": len(moved), "d": len(dropped)}
        )
    return redirect("reviews:ranking", pk=cycle.pk)


@login_required
def export(request, pk, fmt):
    """Secretary: the ranking and every item score, as CSV (UTF-8 with BOM) or XLSX."""
    cycle = selectors.cycle_for_office(user=request.user, pk=pk)
    stamp = timezone.localtime().strftime("%Y%m%d")
    if fmt == "csv":
        # Streamed: the item scores are read and sent in chunks, not held in memory.
        response = StreamingHttpResponse(ranking_csv_lines(cycle=cycle), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="review-{cycle.year}-{stamp}.csv"'
        return response
    if fmt == "xlsx":
        # Written in write-only mode to a temporary file, then streamed from it: flat memory.
        return FileResponse(
            ranking_xlsx_file(cycle=cycle),
            as_attachment=True,
            filename=f"review-{cycle.year}-{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise Http404


@login_required
def experts(request, pk):
    """Secretary: the cycle's experts, invitations from the pool, and each expert's performance."""
    cycle = selectors.cycle_for_office(user=request.user, pk=pk)
    profiles = list(selectors.pool_experts_not_in(cycle))
    form = InviteForm(request.POST or None, profiles=profiles)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["expert"]:
                expert = get_object_or_404(User, pk=d["expert"])
                services.expert_invite(cycle=cycle, expert=expert, by=request.user)
            else:
                expert = services.expert_invite_new(
                    cycle=cycle, email=d["email"], full_name=d["full_name"], by=request.user
                ).user
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(name)s was invited and told by e-mail.") % {"name": expert})
            return redirect("reviews:experts", pk=cycle.pk)
    performance = selectors.expert_performance(cycle=cycle)
    chart = {
        "labels": [str(p.expert) for p in performance],
        "series": [
            {
                "label": _("Mean deviation from the panel score (points)"),
                "data": [float(p.mean_deviation) if p.mean_deviation is not None else None for p in performance],
            }
        ],
    }
    page = paginate(request, performance)  # the table; the chart shows every expert
    summaries = record_selectors.rating_summaries([p.expert.pk for p in page] + [pr.user_id for pr in profiles])
    for p in page:
        p.rating = summaries.get(p.expert.pk)
    pool = [(pr, summaries.get(pr.user_id)) for pr in profiles]
    return render(
        request,
        "reviews/experts.html",
        {
            "cycle": cycle,
            "form": form,
            "profiles": profiles,
            "pool": pool,
            "performance": page,
            "page": page,
            "chart": chart,
        },
    )
