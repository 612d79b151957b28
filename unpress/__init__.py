"""unpress: a press for United Nations General Assembly resolutions."""

__version__ = "0.1.0"
