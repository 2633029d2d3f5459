"""Trust scale: the data set a multi-academy trust builds up over years (`seed_scale`) and
the benchmark that measures the portal against it (`bench`)."""
