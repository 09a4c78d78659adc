"""Every SELECT lives here. Functions take the session first and never commit."""
