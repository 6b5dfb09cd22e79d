"""Webhook deliveries: signing, retry policy, the Redis-backed retry queue and the delivery worker."""
