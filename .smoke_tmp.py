import tempfile, time
from pathlib import Path
from bench import pipeline as P
from services.common.embedded import EmbeddedRedis
with EmbeddedRedis() as r:
    t=time.time()
    res = P.run(r.url, Path(tempfile.mkdtemp()), rounds=1, quick=True)
    print(time.time()-t)
    print(res.throughput, res.scaling, res.peak_kb)
    for rate, runs in res.latency.items():
        print(P.latency_row('pubsub', runs, 'pubsub_ms')); print(P.latency_row('webhook', runs, 'webhook_ms'))
