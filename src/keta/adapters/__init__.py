"""Outbound I/O behind small interfaces: policy files, mail, payment, clock, crypto."""
