"""Scrapy project: spiders that search marketplaces for watched terms and yield `Listing` records."""
