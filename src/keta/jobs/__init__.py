"""Background work: a job table that is both the outbox and the queue, and the workers that drain it."""
