"""A stateful sandbox of Japanese banks for payment-API connectors."""

__version__ = "0.1.0"
