"""ipwatch: early warning of trademark, GI and old-brand infringements on marketplaces."""

__version__ = "0.1.0"
