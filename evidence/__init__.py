"""Evidence of alerts: the page as fetched, a screenshot and fields, hash-chained and timestamped."""
