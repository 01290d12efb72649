"""Who may do what in the committee: members see and vote, the award office runs the meeting."""

from __future__ import annotations

import rules

from awards.rules import is_cycle_committee, is_office

# Objects passed are a cycle or anything with `cycle_id` (a meeting, a notice).
rules.add_perm("committee.view_meeting", is_cycle_committee | is_office)
rules.add_perm("committee.manage_meeting", is_office)
rules.add_perm("committee.vote", is_cycle_committee)
