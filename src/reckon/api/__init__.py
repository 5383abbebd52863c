"""reckon's HTTP API (`reckon serve`): a FastAPI app over a store opened read-only.

Split as yente splits: `routers/` hold the HTTP handlers, thin; `search.py` turns a
yente-style query into the screening library's and its hits into yente's results;
`provider.py` is the loaded store (read-only connection, screening index, per-record
dates) behind them; `settings.py` reads the environment; `models.py` the pydantic shapes.
FastAPI and uvicorn are imported only here and by `reckon serve`, never by the CLI."""
