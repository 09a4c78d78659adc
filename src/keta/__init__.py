"""keta — an open-source electronic travel authorization (ETA) platform.

Default policy: South Korea's K-ETA. See README.md and docs/ for the map.
"""

__version__ = "0.1.0"
