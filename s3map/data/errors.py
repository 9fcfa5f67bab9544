"""The one error type a build raises for bad input: it always names the file and, when known, the row."""


class BuildError(RuntimeError):
    def __init__(self, file: str, message: str, row: int | None = None):
        where = f"{file}, row {row}" if row is not None else file
        super().__init__(f"{where}: {message}")
        self.file = file
        self.row = row
