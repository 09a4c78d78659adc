"""The public JSON API, `/api/v1`, described by OpenAPI at `/docs`."""
