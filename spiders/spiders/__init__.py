"""The spiders `scrapy list` shows."""
