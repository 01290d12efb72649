"""Who may do what with certificates."""

from __future__ import annotations

import rules

from awards.rules import is_admin, is_cycle_secretary
from enterprises.models import EnterpriseMembership


@rules.predicate
def is_member_of_winner(user, certificate) -> bool:
    """A member (owner or editor) of the enterprise the certificate was awarded to."""
    if not user.is_authenticated or certificate is None:
        return False

    return EnterpriseMembership.objects.filter(user=user, enterprise_id=certificate.application.enterprise_id).exists()


is_office = is_admin | is_cycle_secretary

# Object: the cycle (or anything with cycle_id).
rules.add_perm("certificates.manage_certificates", is_office)
# Object: the certificate.
rules.add_perm("certificates.download_certificate", is_office | is_member_of_winner)
