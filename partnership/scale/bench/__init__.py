"""The trust-scale benchmark: each part measures one thing and returns its figures."""
