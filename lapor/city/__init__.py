"""A deployment's city, read and checked once at start from ``config/cities/<key>.toml``.

values: the frozen values the service reads (CityConfig and its parts); schema: the file's
pydantic models, one per table; references: the rules between tables; loading: finding,
parsing and checking a file, its errors as sentences naming the file and the key, and the
values built from it.
"""

from lapor.city.loading import (
    DEFAULT_CONFIG_DIR,
    CityConfigError,
    available_cities,
    load_city,
)
from lapor.city.values import (
    AGENCY_KINDS,
    CATEGORY_CODES,
    CATEGORY_NAMES,
    CONTACT_KEYS,
    DESK_CATEGORY,
    LIMIT_KEYS,
    LIMIT_MAX_MINUTES,
    PUBLISH_POLICIES,
    RESOLUTION_KINDS,
    RETAIN_CONTACTS_DAYS,
    RETAIN_CONTACTS_RANGE,
    Agency,
    AgencyContacts,
    Category,
    CityConfig,
    RateLimits,
    SlaRules,
    WhatsAppTemplates,
)

__all__ = [
    "AGENCY_KINDS",
    "CATEGORY_CODES",
    "CATEGORY_NAMES",
    "CONTACT_KEYS",
    "DEFAULT_CONFIG_DIR",
    "DESK_CATEGORY",
    "LIMIT_KEYS",
    "LIMIT_MAX_MINUTES",
    "PUBLISH_POLICIES",
    "RESOLUTION_KINDS",
    "RETAIN_CONTACTS_DAYS",
    "RETAIN_CONTACTS_RANGE",
    "Agency",
    "AgencyContacts",
    "Category",
    "CityConfig",
    "CityConfigError",
    "RateLimits",
    "SlaRules",
    "WhatsAppTemplates",
    "available_cities",
    "load_city",
]
