"""The portal's data version and the pages cached under it (see version.py and pages.py)."""

from .version import changed, current, stamp

__all__ = ["changed", "current", "stamp"]
