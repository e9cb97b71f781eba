"""The matching techniques, one module per technique, named for the name it registers (`ipwatch matchers`)."""
