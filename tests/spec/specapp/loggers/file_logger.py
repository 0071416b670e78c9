from pyjolt.logging import LoggerBase


class FileLogger(LoggerBase):
    """Example file logger"""

    def get_format(self) -> str:
        return self.get_conf_value("FORMAT", "{message}")

    def get_filter(self):
        def _filter(record: dict) -> bool:
            return "PERFORMANCE" in record["message"]

        return _filter
