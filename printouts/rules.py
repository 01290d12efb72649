"""Who may have a submitted version printed and download the PDFs: its enterprise and the award office."""

import rules

from awards.rules import is_applicant, is_office

rules.add_perm("printouts.print_application", is_applicant | is_office)
