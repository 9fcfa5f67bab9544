"""Renamed to `s3map.data.rci_employment` (what it reads); kept so older imports still work."""

from s3map.data.rci_employment import *  # noqa: F401,F403
from s3map.data.rci_employment import PEER_DIMENSIONS, read_manufacturing, read_rci  # noqa: F401
