"""Operations: the load balancer's probes (/healthz, /readyz) and Prometheus' /metrics.

The top layer beside devtools (docs/architecture.md): its figures read the outbox, the
gate and the reviews, so it sits above them all, and no app imports it. docs/health-and-metrics.md.
"""
