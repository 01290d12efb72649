"""Who may see and retry the outbox: the award office (secretaries for their cycles, admins for all)."""

from __future__ import annotations

import rules

from awards.rules import is_admin, is_any_secretary, is_cycle_secretary


@rules.predicate
def is_secretary_of_message(user, message) -> bool:
    """Messages of a cycle belong to its secretaries; messages of no cycle (registration, invitations) to
    every secretary."""
    if message is None:
        return False
    if message.cycle_id is None:
        return is_any_secretary(user)
    return is_cycle_secretary(user, message)


# The outbox is core's model, so the permissions keep core's names.
rules.add_perm("core.view_outbox", is_admin | is_any_secretary)
rules.add_perm("core.retry_outboxmessage", is_admin | is_secretary_of_message)
