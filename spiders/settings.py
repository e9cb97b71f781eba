"""Scrapy's settings module for `scrapy crawl` from the repository root (see scrapy.cfg)."""

from ..core.settings import Settings
from .config import scrapy_settings

globals().update(scrapy_settings(Settings()))
