"""Matchers score a Listing against the watchlist's marks and say why."""
