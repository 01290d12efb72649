from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.TextChoices):
    """Chenzhou's districts and counties by administrative division code."""

    BEIHU = "431002", _("Beihu District")
    SUXIAN = "431003", _("Suxian District")
    GUIYANG = "431021", _("Guiyang County")
    YIZHANG = "431022", _("Yizhang County")
    YONGXING = "431023", _("Yongxing County")
    JIAHE = "431024", _("Jiahe County")
    LINWU = "431025", _("Linwu County")
    RUCHENG = "431026", _("Rucheng County")
    GUIDONG = "431027", _("Guidong County")
    ANREN = "431028", _("Anren County")
    ZIXING = "431081", _("Zixing City")


class Industry(models.TextChoices):
    """Sections of the national industry classification (GB/T 4754) that apply here."""

    AGRICULTURE = "A", _("Agriculture, forestry and fishing")
    MINING = "B", _("Mining")
    MANUFACTURING = "C", _("Manufacturing")
    UTILITIES = "D", _("Electricity, heat, gas and water")
    CONSTRUCTION = "E", _("Construction")
    TRADE = "F", _("Wholesale and retail")
    TRANSPORT = "G", _("Transport, storage and post")
    HOSPITALITY = "H", _("Accommodation and catering")
    IT = "I", _("Information technology and software")
    FINANCE = "J", _("Finance")
    SERVICES = "L", _("Leasing and business services")
    RESEARCH = "M", _("Research and technical services")
    ENVIRONMENT = "N", _("Water, environment and public facilities")
    HEALTH = "Q", _("Health and social work")
    CULTURE = "R", _("Culture, sports and entertainment")


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class NameChangeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the award office")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


# Positions 3-8 of a credit code registered in Chenzhou start with the city's division code.
CITY_DIVISION_PREFIX = "4310"
