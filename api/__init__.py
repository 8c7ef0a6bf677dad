"""The user-facing surfaces: the plankg command line, the HTTP API and the browser explorer."""
