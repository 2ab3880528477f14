"""Web adapters: the aiohttp application, the JSON API and its error middleware."""
