"""One run spread over a Dask cluster: shards by host, fetched by workers, recorded by the coordinator.

``dask.distributed`` is an optional dependency (``requirements-cluster.txt``): nothing here is
imported unless ``--cluster`` is given.
"""
