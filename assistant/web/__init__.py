"""The web server: the app factory, the JSON API, the chat pages, document management and the answer pool."""
