"""The REST API and the graph browsing page."""
