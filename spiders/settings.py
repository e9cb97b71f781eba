"""Scrapy's settings module for `scrapy crawl` from the repository root (see scrapy.cfg)."""

from ipwatch.settings import Settings
from spiders.config import scrapy_settings

globals().update(scrapy_settings(Settings()))
