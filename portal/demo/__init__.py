"""Demo and benchmark data: postal codes, the Turku-region ECEC catalogue and service points, a synthetic catalogue.

Everything loaded from here is demo data (``ServiceLocation.is_demo``) and the
UI labels it so. The catalogue itself lives in YAML next to this file so that
it can be reviewed and corrected without touching code.
"""

from .generator import generate_catalogue
from .loader import default_postal_codes_path, load_demo_catalogue, load_municipalities, load_postal_codes
from .service_point_loader import load_service_points

__all__ = [
    "default_postal_codes_path",
    "generate_catalogue",
    "load_demo_catalogue",
    "load_municipalities",
    "load_postal_codes",
    "load_service_points",
]
