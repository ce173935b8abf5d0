"""Cloud adapters: the only code that calls cloud APIs.

Each provider turns SDK responses into a `scanner.model.Snapshot`. SDKs are optional
extras, imported only inside `providers.<cloud>`; importing this package creates no client.
"""
