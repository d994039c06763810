"""Order and parcel tracking that survives the peak: tiered cache, state-aware freshness, breakers.

Pure code behind small interfaces (``TrackingCacheStore``, ``BreakerStore``, ``OrderSource``,
``TrackingSource``); the DynamoDB and HTTP adapters plug into them. See docs/tracking.md.
"""
