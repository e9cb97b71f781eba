"""The triage web app: queue, cases, notices, dashboard and watchlist management (`ipwatch serve`)."""
