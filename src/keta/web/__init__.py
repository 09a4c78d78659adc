"""HTTP edge: JSON API, portal, back office."""
