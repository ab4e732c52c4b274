"""`tonghop serve`: the web pages and the REST API with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from tonghop.cli import app
from tonghop.services.context import database_url


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Địa chỉ lắng nghe.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Cổng.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Số tiến trình phục vụ.")] = 1,
    reload: Annotated[bool, typer.Option(help="Tự nạp lại khi mã nguồn đổi (phát triển).")] = False,
) -> None:
    """Chạy giao diện web và REST API (/api/v1) của Tổng hợp."""
    import uvicorn

    database_url()  # migrate once here, before the workers start: they would race on a new schema otherwise
    typer.echo(f"Tổng hợp đang chạy tại http://{host}:{port}/  (API: http://{host}:{port}/api/v1/docs)", err=True)
    # By import string, so the CLI never imports the web or API layers itself.
    uvicorn.run("tonghop.asgi:create_app", factory=True, host=host, port=port, workers=workers, reload=reload,
                proxy_headers=True, log_level="info")
