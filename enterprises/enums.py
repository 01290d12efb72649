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
    """The 20 sections (门类) of the national industry classification GB/T 4754-2017, A to T."""

    AGRICULTURE = "A", _("Agriculture, forestry, animal husbandry and fishery")
    MINING = "B", _("Mining")
    MANUFACTURING = "C", _("Manufacturing")
    UTILITIES = "D", _("Production and supply of electricity, heat, gas and water")
    CONSTRUCTION = "E", _("Construction")
    TRADE = "F", _("Wholesale and retail trade")
    TRANSPORT = "G", _("Transport, storage and postal services")
    HOSPITALITY = "H", _("Accommodation and catering")
    IT = "I", _("Information transmission, software and information technology services")
    FINANCE = "J", _("Finance")
    REAL_ESTATE = "K", _("Real estate")
    SERVICES = "L", _("Leasing and business services")
    RESEARCH = "M", _("Scientific research and technical services")
    ENVIRONMENT = "N", _("Water conservancy, environment and public facilities management")
    RESIDENT_SERVICES = "O", _("Resident services, repair and other services")
    EDUCATION = "P", _("Education")
    HEALTH = "Q", _("Health and social work")
    CULTURE = "R", _("Culture, sports and entertainment")
    PUBLIC_ADMINISTRATION = "S", _("Public administration, social security and social organisations")
    INTERNATIONAL = "T", _("International organisations")


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
