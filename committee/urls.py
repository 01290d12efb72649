from django.urls import path

from . import views

app_name = "committee"
urlpatterns = [
    path("committee/", views.my_committee, name="my_committee"),
    path("committee/cycles/<int:cycle_id>/", views.cycle_committee, name="cycle"),
    path("committee/cycles/<int:cycle_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("committee/cycles/<int:cycle_id>/notice/publish/", views.notice_publish, name="notice_publish"),
    path("committee/cycles/<int:cycle_id>/objections/", views.objections, name="objections"),
    path("committee/cycles/<int:cycle_id>/confirm/", views.winners_confirm, name="confirm"),
    path("committee/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("committee/meetings/<int:pk>/invite/", views.meeting_invite, name="meeting_invite"),
    path("committee/meetings/<int:pk>/agenda/", views.meeting_agenda, name="meeting_agenda"),
    path("committee/meetings/<int:pk>/open/", views.meeting_open, name="meeting_open"),
    path("committee/meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("committee/meetings/<int:pk>/ranks/", views.meeting_ranks, name="meeting_ranks"),
    path("committee/meetings/<int:pk>/tie/", views.meeting_tie, name="meeting_tie"),
    path("committee/meetings/<int:pk>/remarks/", views.meeting_remark, name="meeting_remark"),
    path("committee/meetings/<int:pk>/close/", views.meeting_close, name="meeting_close"),
    path("committee/meetings/<int:pk>/report/", views.meeting_report, name="report"),
    path("committee/meetings/<int:pk>/report.pdf", views.meeting_report_pdf, name="report_pdf"),
    path("committee/meetings/<int:pk>/minutes.pdf", views.meeting_minutes_pdf, name="minutes_pdf"),
    path("committee/ballots/<int:pk>/", views.dossier, name="dossier"),
    path("committee/ballots/<int:pk>/open/", views.ballot_open, name="ballot_open"),
    path("committee/ballots/<int:pk>/close/", views.ballot_close, name="ballot_close"),
    path("committee/ballots/<int:pk>/vote/", views.ballot_vote, name="ballot_vote"),
    path("committee/ballots/<int:pk>/recuse/", views.ballot_recuse, name="ballot_recuse"),
    path("committee/objections/<int:pk>/", views.objection_handle, name="objection_handle"),
    path("committee/objections/<int:pk>/evidence/", views.objection_evidence, name="objection_evidence"),
    path("notice/", views.notice_public, name="notice"),
    path("notice/<int:notice_id>/object/", views.objection_new, name="objection_new"),
    path("notice/<int:notice_id>/object/done/", views.objection_done, name="objection_done"),
    path("winners/", views.winners, name="winners"),
    path("winners/<int:year>/", views.winners, name="winners_year"),
]
